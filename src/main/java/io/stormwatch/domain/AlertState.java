package io.stormwatch.domain;

import java.time.Instant;

import io.stormwatch.api.Event.AlertInfo;

/**
 * The evaluator's state for one (station, rule), derived from the events it has evaluated.
 *
 * @param conditionSince when the breach started to hold without a break (observation time), or null
 * @param activeAlertId the alert this pair has active, or null: there is at most one
 * @param activeInfo what that alert last said
 * @param lastObservedAt the newest observation time evaluated; older observations change nothing
 * @param lastValue the value observed then
 * @param issuedObservedAt the observation time behind the alert's last issue (raise or update)
 */
public record AlertState(String stationId, String ruleId, Instant conditionSince, String activeAlertId,
        AlertInfo activeInfo, Instant lastObservedAt, Double lastValue, Instant issuedObservedAt) {

    public static AlertState empty(String stationId, String ruleId) {
        return new AlertState(stationId, ruleId, null, null, null, null, null, null);
    }

    public boolean active() {
        return activeAlertId != null;
    }

    AlertState observed(Instant at, double value) {
        return new AlertState(stationId, ruleId, conditionSince, activeAlertId, activeInfo, at, value,
                issuedObservedAt);
    }

    AlertState holdingSince(Instant since) {
        return new AlertState(stationId, ruleId, since, activeAlertId, activeInfo, lastObservedAt, lastValue,
                issuedObservedAt);
    }

    AlertState issued(String alertId, AlertInfo info, Instant at) {
        return new AlertState(stationId, ruleId, conditionSince, alertId, info, lastObservedAt, lastValue, at);
    }

    AlertState ended() {
        return new AlertState(stationId, ruleId, null, null, null, lastObservedAt, lastValue, null);
    }
}

package io.stormwatch.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

import io.stormwatch.api.Event;
import io.stormwatch.api.Event.AlertCleared;
import io.stormwatch.api.Event.AlertInfo;
import io.stormwatch.api.Event.AlertRaised;
import io.stormwatch.api.Event.AlertUpdated;
import io.stormwatch.api.Observation;

/**
 * The alert lifecycle of one (station, rule): raise when the threshold is crossed and has held for
 * {@code forSeconds} of observation time, keep while the value stays inside the hysteresis band, clear when it
 * is back past the clear threshold. Time is the observations' own: an observation older than the newest one
 * evaluated changes nothing. Expiry is wall-clock time, a deadline the caller keeps durable.
 */
public final class AlertEvaluation {

    /** The events to append, and the state they leave. */
    public record Outcome(List<Event> events, AlertState state) {
    }

    private final Supplier<String> alertIds;

    public AlertEvaluation(Supplier<String> alertIds) {
        this.alertIds = alertIds;
    }

    public Outcome observe(AlertRule rule, AlertState state, Observation observation, Location location,
            Instant now) {
        Double measured = rule.metric().of(observation);
        Instant at = observation.observedAt();
        if (measured == null || (state.lastObservedAt() != null && at.isBefore(state.lastObservedAt()))) {
            return new Outcome(List.of(), state);
        }
        double value = measured;
        AlertState seen = state.observed(at, value);
        if (state.active()) {
            if (rule.cleared(value)) {
                AlertInfo info = info(rule, state.activeInfo(), value, at, state.activeInfo().expires());
                return new Outcome(List.of(new AlertCleared(state.activeAlertId(), "condition-cleared", info)),
                        seen.ended());
            }
            return new Outcome(List.of(), seen);
        }
        if (!rule.breached(value)) {
            return new Outcome(List.of(), seen.holdingSince(null));
        }
        Instant since = state.conditionSince() == null ? at : state.conditionSince();
        AlertState holding = seen.holdingSince(since);
        if (Duration.between(since, at).toSeconds() < rule.forSeconds()) {
            return new Outcome(List.of(), holding);
        }
        String alertId = alertIds.get();
        AlertInfo info = new AlertInfo(rule.ruleId(), state.stationId(), rule.name(), rule.metric().name(),
                rule.operator().symbol, rule.threshold(), rule.clearThreshold(), value, at, since,
                now.plusSeconds(rule.expiresAfterSeconds()), rule.severity(), rule.urgency(), location.latitude(),
                location.longitude());
        return new Outcome(List.of(new AlertRaised(alertId, info)), holding.issued(alertId, info, at));
    }

    /** The rule was redefined: its active alert is re-issued with the new definition, or cleared if it no longer applies. */
    public Outcome redefine(AlertRule rule, AlertState state, Instant now) {
        if (!state.active()) {
            return new Outcome(List.of(), state);
        }
        if (!rule.appliesTo(state.stationId())) {
            return clear(state, "rule-changed");
        }
        AlertInfo info = info(rule, state.activeInfo(), state.lastValue(), state.lastObservedAt(),
                now.plusSeconds(rule.expiresAfterSeconds()));
        return new Outcome(List.of(new AlertUpdated(state.activeAlertId(), "rule-redefined", info)),
                state.issued(state.activeAlertId(), info, state.lastObservedAt()));
    }

    public Outcome clear(AlertState state, String reason) {
        if (!state.active()) {
            return new Outcome(List.of(), state);
        }
        return new Outcome(List.of(new AlertCleared(state.activeAlertId(), reason, state.activeInfo())),
                state.ended());
    }

    /**
     * The alert reached its expiry: re-issued with a new expiry if the station has reported since its last issue
     * (the condition still holds, or it would have been cleared), else cleared as {@code expired}.
     */
    public Outcome expire(AlertRule rule, AlertState state, Instant now) {
        if (!state.active()) {
            return new Outcome(List.of(), state);
        }
        boolean freshData = state.lastObservedAt() != null && state.issuedObservedAt() != null
                && state.lastObservedAt().isAfter(state.issuedObservedAt());
        if (!freshData) {
            return clear(state, "expired");
        }
        AlertInfo info = info(rule, state.activeInfo(), state.lastValue(), state.lastObservedAt(),
                now.plusSeconds(rule.expiresAfterSeconds()));
        return new Outcome(List.of(new AlertUpdated(state.activeAlertId(), "expiry-extended", info)),
                state.issued(state.activeAlertId(), info, state.lastObservedAt()));
    }

    /** The alert's description under the rule's current definition, with a new value and expiry. */
    private static AlertInfo info(AlertRule rule, AlertInfo previous, double value, Instant observedAt,
            Instant expires) {
        return new AlertInfo(rule.ruleId(), previous.stationId(), rule.name(), rule.metric().name(),
                rule.operator().symbol, rule.threshold(), rule.clearThreshold(), value, observedAt, previous.onset(),
                expires, rule.severity(), rule.urgency(), previous.latitude(), previous.longitude());
    }

    /** Where a station is, for the alert's CAP area. */
    public record Location(double latitude, double longitude) {
    }
}

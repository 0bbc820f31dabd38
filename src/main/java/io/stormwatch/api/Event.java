package io.stormwatch.api;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonUnwrapped;

/** The facts kept in the event store. Each belongs to one stream, named by {@link #streamId()}. */
public sealed interface Event {

    @JsonIgnore
    String streamId();

    @JsonIgnore
    default String type() {
        return getClass().getSimpleName();
    }

    /** Every event type, by the name it is stored and published under. */
    static List<String> typeNames() {
        return Arrays.stream(Event.class.getPermittedSubclasses()).map(Class::getSimpleName).toList();
    }

    /** The names the given event types are stored and published under. */
    @SafeVarargs
    static List<String> names(Class<? extends Event>... types) {
        return Arrays.stream(types).map(Class::getSimpleName).toList();
    }

    static String stationStream(String stationId) {
        return "station-" + stationId;
    }

    static String ruleStream(String ruleId) {
        return "rule-" + ruleId;
    }

    static String alertStream(String alertId) {
        return "alert-" + alertId;
    }

    /** A station joined, or its details changed (the latest one holds). */
    record StationRegistered(String stationId, String name, double latitude, double longitude, Double elevationM)
            implements Event {

        @Override
        public String streamId() {
            return stationStream(stationId);
        }
    }

    /** The payload is the observation's own fields. */
    record ObservationRecorded(@JsonUnwrapped Observation observation) implements Event {

        @Override
        public String streamId() {
            return stationStream(observation.stationId());
        }
    }

    /** A rule was defined, or replaced by a new definition with the same ruleId. */
    record AlertRuleDefined(String ruleId, String name, String metric, String operator, double threshold,
            double clearThreshold, long forSeconds, String severity, String urgency, long expiresAfterSeconds,
            List<String> stationIds) implements Event {

        @Override
        public String streamId() {
            return ruleStream(ruleId);
        }
    }

    record AlertRuleRemoved(String ruleId) implements Event {

        @Override
        public String streamId() {
            return ruleStream(ruleId);
        }
    }

    /**
     * What an alert says at one moment, carried whole by each of its lifecycle events so that every CAP message
     * can be written from its own event.
     *
     * @param value the measured value that raised, updated or cleared the alert
     * @param observedAt the observation time of that value
     * @param onset when the condition started to hold (observation time)
     * @param expires the CAP expiry: the alert is re-issued or cleared then
     */
    record AlertInfo(String ruleId, String stationId, String event, String metric, String operator, double threshold,
            double clearThreshold, double value, Instant observedAt, Instant onset, Instant expires, String severity,
            String urgency, double latitude, double longitude) {
    }

    record AlertRaised(String alertId, AlertInfo info) implements Event {

        @Override
        public String streamId() {
            return alertStream(alertId);
        }
    }

    /** Re-issued: the rule was redefined ({@code rule-redefined}) or the alert reached expiry still holding. */
    record AlertUpdated(String alertId, String reason, AlertInfo info) implements Event {

        @Override
        public String streamId() {
            return alertStream(alertId);
        }
    }

    /** Ended: {@code condition-cleared}, {@code rule-removed}, {@code rule-changed} or {@code expired}. */
    record AlertCleared(String alertId, String reason, AlertInfo info) implements Event {

        @Override
        public String streamId() {
            return alertStream(alertId);
        }
    }

    record AlertAcknowledged(String alertId, String by, String note) implements Event {

        @Override
        public String streamId() {
            return alertStream(alertId);
        }
    }
}

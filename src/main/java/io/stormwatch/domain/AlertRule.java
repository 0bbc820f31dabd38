package io.stormwatch.domain;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

import io.stormwatch.api.Event.AlertRuleDefined;
import io.stormwatch.api.Observation;

/** A rule as the evaluator applies it, parsed from its {@link AlertRuleDefined} event. */
public record AlertRule(String ruleId, String name, Metric metric, Operator operator, double threshold,
        double clearThreshold, long forSeconds, String severity, String urgency, long expiresAfterSeconds,
        List<String> stationIds) {

    public static final List<String> SEVERITIES = List.of("Minor", "Moderate", "Severe", "Extreme");
    public static final List<String> URGENCIES = List.of("Immediate", "Expected", "Future", "Past", "Unknown");
    public static final String DEFAULT_URGENCY = "Immediate";
    public static final long DEFAULT_EXPIRES_AFTER_SECONDS = 21600;

    /** The observation fields a rule may watch. A missing optional value is never a breach nor a clear. */
    public enum Metric {
        temperatureC(Observation::temperatureC), humidityPct(Observation::humidityPct),
        windSpeedMs(Observation::windSpeedMs), windGustMs(Observation::windGustMs),
        pressureHpa(Observation::pressureHpa), precipitationMm(Observation::precipitationMm);

        private final Function<Observation, Double> reader;

        Metric(Function<Observation, Double> reader) {
            this.reader = reader;
        }

        public Double of(Observation observation) {
            return reader.apply(observation);
        }

        public static List<String> names() {
            return Arrays.stream(values()).map(Enum::name).toList();
        }
    }

    /** How a value compares with the threshold; the clear side is the negation against the clear threshold. */
    public enum Operator {
        GT(">"), GE(">="), LT("<"), LE("<=");

        public final String symbol;

        Operator(String symbol) {
            this.symbol = symbol;
        }

        public static Operator of(String symbol) {
            return Arrays.stream(values()).filter(o -> o.symbol.equals(symbol)).findFirst().orElse(null);
        }

        public static List<String> symbols() {
            return Arrays.stream(values()).map(o -> o.symbol).toList();
        }

        boolean holds(double value, double limit) {
            return switch (this) {
                case GT -> value > limit;
                case GE -> value >= limit;
                case LT -> value < limit;
                case LE -> value <= limit;
            };
        }

        /** Upward rules (> and >=) clear below; their clear threshold must not lie above the threshold. */
        boolean upward() {
            return this == GT || this == GE;
        }
    }

    public static AlertRule of(AlertRuleDefined defined) {
        return new AlertRule(defined.ruleId(), defined.name(), Metric.valueOf(defined.metric()),
                Operator.of(defined.operator()), defined.threshold(), defined.clearThreshold(), defined.forSeconds(),
                defined.severity(), defined.urgency(), defined.expiresAfterSeconds(),
                defined.stationIds() == null ? List.of() : defined.stationIds());
    }

    public boolean appliesTo(String stationId) {
        return stationIds.isEmpty() || stationIds.contains(stationId);
    }

    public boolean breached(double value) {
        return operator.holds(value, threshold);
    }

    /** Back on the safe side of the clear threshold; between the two thresholds is the band that changes nothing. */
    public boolean cleared(double value) {
        return !operator.holds(value, clearThreshold);
    }
}

package io.stormwatch.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.stormwatch.api.Command.AcknowledgeAlert;
import io.stormwatch.api.Command.DefineAlertRule;
import io.stormwatch.api.Command.RemoveAlertRule;
import io.stormwatch.api.Event.AlertRuleDefined;
import io.stormwatch.domain.AlertRules.Lifecycle;

class AlertRulesTest {

    private static DefineAlertRule rule(String metric, String operator, double threshold, Double clear, String severity) {
        return new DefineAlertRule(null, "heat", "Heat", metric, operator, threshold, clear, null, severity, null,
                null, null);
    }

    private static String error(Decision decision) {
        assertThat(decision).isInstanceOf(Decision.Rejected.class);
        return ((Decision.Rejected) decision).error();
    }

    @Test
    void defaults_are_filled_in() {
        Decision decision = AlertRules.define(null, rule("temperatureC", ">", 30, null, "Severe"));
        AlertRuleDefined defined = (AlertRuleDefined) ((Decision.Accepted) decision).events().getFirst();
        assertThat(defined.clearThreshold()).isEqualTo(30);
        assertThat(defined.forSeconds()).isZero();
        assertThat(defined.urgency()).isEqualTo("Immediate");
        assertThat(defined.expiresAfterSeconds()).isEqualTo(21600);
        assertThat(defined.stationIds()).isEmpty();
    }

    @Test
    void the_same_definition_again_changes_nothing() {
        AlertRuleDefined current = (AlertRuleDefined) ((Decision.Accepted) AlertRules.define(null,
                rule("temperatureC", ">", 30, 28.0, "Severe"))).events().getFirst();
        assertThat(((Decision.Accepted) AlertRules.define(current, rule("temperatureC", ">", 30, 28.0, "Severe")))
                .events()).isEmpty();
    }

    @Test
    void each_invalid_rule_gets_a_specific_error() {
        assertThat(error(AlertRules.define(null, rule("dewPointC", ">", 30, null, "Severe"))))
                .isEqualTo("metric must be one of temperatureC, humidityPct, windSpeedMs, windGustMs, pressureHpa,"
                        + " precipitationMm, not 'dewPointC'");
        assertThat(error(AlertRules.define(null, rule("temperatureC", "=>", 30, null, "Severe"))))
                .isEqualTo("operator must be one of >, >=, <, <=, not '=>'");
        assertThat(error(AlertRules.define(null, rule("temperatureC", ">", 30, 31.0, "Severe"))))
                .isEqualTo("clearThreshold 31.0 must not be above threshold 30.0 for operator > (it must lie on the"
                        + " safe side)");
        assertThat(error(AlertRules.define(null, rule("pressureHpa", "<", 980, 975.0, "Severe"))))
                .isEqualTo("clearThreshold 975.0 must not be below threshold 980.0 for operator < (it must lie on the"
                        + " safe side)");
        assertThat(error(AlertRules.define(null, rule("temperatureC", ">", 30, null, "Catastrophic"))))
                .startsWith("severity must be one of Minor, Moderate, Severe, Extreme");
        assertThat(error(AlertRules.remove(null, new RemoveAlertRule(null, "nope")))).isEqualTo("unknown rule nope");
    }

    @Test
    void only_an_active_alert_can_be_acknowledged() {
        AcknowledgeAlert ack = new AcknowledgeAlert(null, "a-1", "ops", null);
        assertThat(error(AlertRules.acknowledge(Lifecycle.UNKNOWN, ack))).isEqualTo("unknown alert a-1");
        assertThat(error(AlertRules.acknowledge(Lifecycle.CLEARED, ack)))
                .isEqualTo("alert a-1 is cleared; only an active alert can be acknowledged");
        assertThat(AlertRules.acknowledge(Lifecycle.ACTIVE, ack)).isInstanceOf(Decision.Accepted.class);
    }

    @Test
    void removing_a_known_rule_is_accepted() {
        AlertRuleDefined current = new AlertRuleDefined("heat", "Heat", "temperatureC", ">", 30, 30, 0, "Severe",
                "Immediate", 21600, List.of());
        assertThat(AlertRules.remove(current, new RemoveAlertRule(null, "heat"))).isInstanceOf(Decision.Accepted.class);
    }
}

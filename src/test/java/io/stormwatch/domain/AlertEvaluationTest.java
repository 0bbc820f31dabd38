package io.stormwatch.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.stormwatch.api.Event;
import io.stormwatch.api.Event.AlertCleared;
import io.stormwatch.api.Event.AlertRaised;
import io.stormwatch.api.Event.AlertRuleDefined;
import io.stormwatch.api.Event.AlertUpdated;
import io.stormwatch.api.Observation;
import io.stormwatch.domain.AlertEvaluation.Location;
import io.stormwatch.domain.AlertEvaluation.Outcome;

/** Given a rule and a state, when observations arrive, then these alert events. */
class AlertEvaluationTest {

    private static final Instant T0 = Instant.parse("2026-11-26T12:00:00Z");
    private static final Instant NOW = Instant.parse("2026-11-26T12:30:00Z");
    private static final Location OSLO = new Location(59.91, 10.75);

    private final AtomicInteger ids = new AtomicInteger();
    private final AlertEvaluation evaluation = new AlertEvaluation(() -> "alert-" + ids.incrementAndGet());
    private final List<Event> emitted = new ArrayList<>();
    private AlertState state = AlertState.empty("OSLO-1", "heat");

    /** temperatureC > 30, clears at or below 28. */
    private static AlertRule heat(long forSeconds) {
        return AlertRule.of(new AlertRuleDefined("heat", "Heat", "temperatureC", ">", 30, 28, forSeconds, "Severe",
                "Immediate", 3600, List.of()));
    }

    private void observe(AlertRule rule, int secondsAfterT0, double temperature) {
        Outcome outcome = evaluation.observe(rule, state, new Observation("OSLO-1", T0.plusSeconds(secondsAfterT0),
                temperature, 50.0, 3.0, null, null, null), OSLO, NOW);
        emitted.addAll(outcome.events());
        state = outcome.state();
    }

    @Test
    void a_crossing_raises_one_alert_and_values_in_the_band_keep_it_quietly() {
        AlertRule rule = heat(0);
        observe(rule, 0, 25);
        observe(rule, 60, 31);
        observe(rule, 120, 35);
        observe(rule, 180, 29);
        observe(rule, 240, 30.5);
        assertThat(emitted).hasSize(1).first().isInstanceOf(AlertRaised.class);
        AlertRaised raised = (AlertRaised) emitted.getFirst();
        assertThat(raised.info().value()).isEqualTo(31);
        assertThat(raised.info().onset()).isEqualTo(T0.plusSeconds(60));
        assertThat(raised.info().expires()).isEqualTo(NOW.plusSeconds(3600));
        assertThat(raised.info().latitude()).isEqualTo(59.91);
        assertThat(state.activeAlertId()).isEqualTo(raised.alertId());
    }

    @Test
    void back_past_the_clear_threshold_clears_and_a_new_crossing_raises_a_new_alert() {
        AlertRule rule = heat(0);
        observe(rule, 0, 31);
        observe(rule, 60, 28);
        observe(rule, 120, 32);
        assertThat(emitted).extracting(e -> e.getClass().getSimpleName())
                .containsExactly("AlertRaised", "AlertCleared", "AlertRaised");
        AlertCleared cleared = (AlertCleared) emitted.get(1);
        assertThat(cleared.alertId()).isEqualTo("alert-1");
        assertThat(cleared.reason()).isEqualTo("condition-cleared");
        assertThat(cleared.info().value()).isEqualTo(28);
        assertThat(((AlertRaised) emitted.get(2)).alertId()).isEqualTo("alert-2");
    }

    @Test
    void for_seconds_holds_the_alert_back_until_the_condition_has_held_that_long() {
        AlertRule rule = heat(600);
        observe(rule, 0, 31);
        observe(rule, 300, 33);
        assertThat(emitted).isEmpty();
        observe(rule, 400, 29);   // in the band: the condition no longer holds, the clock starts again
        observe(rule, 500, 31);
        observe(rule, 1000, 31);
        assertThat(emitted).isEmpty();
        observe(rule, 1100, 31);
        assertThat(emitted).hasSize(1);
        assertThat(((AlertRaised) emitted.getFirst()).info().onset()).isEqualTo(T0.plusSeconds(500));
    }

    @Test
    void a_late_observation_is_ignored_and_does_not_flip_the_state_back() {
        AlertRule rule = heat(0);
        observe(rule, 600, 31);
        observe(rule, 300, 20);   // older than the latest: stored by the command side, ignored here
        assertThat(emitted).hasSize(1);
        assertThat(state.active()).isTrue();
        assertThat(state.lastObservedAt()).isEqualTo(T0.plusSeconds(600));
    }

    @Test
    void expiry_reissues_while_the_station_reports_and_clears_when_it_has_gone_quiet() {
        AlertRule rule = heat(0);
        observe(rule, 0, 31);
        observe(rule, 60, 30);    // fresh data, still in the band
        Outcome first = evaluation.expire(rule, state, NOW.plusSeconds(3600));
        assertThat(first.events()).singleElement().isInstanceOf(AlertUpdated.class);
        AlertUpdated updated = (AlertUpdated) first.events().getFirst();
        assertThat(updated.reason()).isEqualTo("expiry-extended");
        assertThat(updated.info().expires()).isEqualTo(NOW.plusSeconds(7200));
        assertThat(updated.info().value()).isEqualTo(30);

        Outcome second = evaluation.expire(rule, first.state(), NOW.plusSeconds(7200));
        assertThat(second.events()).singleElement().isInstanceOf(AlertCleared.class);
        assertThat(((AlertCleared) second.events().getFirst()).reason()).isEqualTo("expired");
        assertThat(second.state().active()).isFalse();
    }

    @Test
    void a_redefined_rule_reissues_its_active_alert_and_a_removed_one_clears_it() {
        observe(heat(0), 0, 31);
        AlertRule stricter = AlertRule.of(new AlertRuleDefined("heat", "Extreme heat", "temperatureC", ">", 30, 28,
                0, "Extreme", "Immediate", 3600, List.of()));
        Outcome redefined = evaluation.redefine(stricter, state, NOW);
        AlertUpdated updated = (AlertUpdated) redefined.events().getFirst();
        assertThat(updated.reason()).isEqualTo("rule-redefined");
        assertThat(updated.info().severity()).isEqualTo("Extreme");
        assertThat(updated.info().event()).isEqualTo("Extreme heat");

        Outcome removed = evaluation.clear(redefined.state(), "rule-removed");
        assertThat(((AlertCleared) removed.events().getFirst()).reason()).isEqualTo("rule-removed");
    }

    @Test
    void a_missing_optional_metric_is_neither_a_breach_nor_a_clear() {
        AlertRule gusts = AlertRule.of(new AlertRuleDefined("gust", "Gale", "windGustMs", ">=", 20, 15, 0, "Moderate",
                "Immediate", 3600, List.of()));
        observe(gusts, 0, 10);
        assertThat(emitted).isEmpty();
        assertThat(state.lastObservedAt()).isNull();
    }
}

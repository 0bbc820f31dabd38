package io.stormwatch.alerting;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.stormwatch.api.Event;
import io.stormwatch.api.Event.AlertRuleDefined;
import io.stormwatch.api.Event.ObservationRecorded;
import io.stormwatch.api.Observation;
import io.stormwatch.domain.AlertRule;

/** Which stations of a batch the evaluator loads alert states and locations for. */
class WatchedStationsTest {

    private static final Set<String> STATIONS = Set.of("A", "B", "C");

    private static AlertRuleDefined rule(String ruleId, List<String> stationIds) {
        return new AlertRuleDefined(ruleId, "Heat", "temperatureC", ">", 30, 28, 0, "Severe", "Immediate", 3600,
                stationIds);
    }

    private static Event observation(String stationId) {
        return new ObservationRecorded(new Observation(stationId, Instant.parse("2026-11-27T10:00:00Z"), 20.0, 50.0,
                3.0, null, null, null));
    }

    @Test
    void with_no_rule_no_station_is_watched() {
        assertThat(EvaluationBatch.watched(STATIONS, List.of(), List.of(observation("A"), observation("B"))))
                .isEmpty();
    }

    @Test
    void a_rule_for_every_station_watches_them_all() {
        assertThat(EvaluationBatch.watched(STATIONS, List.of(AlertRule.of(rule("heat", List.of()))), List.of()))
                .containsExactlyInAnyOrderElementsOf(STATIONS);
    }

    @Test
    void a_rule_for_some_stations_watches_only_those_of_the_batch() {
        assertThat(EvaluationBatch.watched(STATIONS, List.of(AlertRule.of(rule("heat", List.of("B", "Z")))),
                List.of())).containsExactly("B");
    }

    @Test
    void a_rule_defined_in_the_batch_itself_counts() {
        List<Event> batch = List.of(observation("A"), rule("frost", List.of("C")), observation("C"));
        assertThat(EvaluationBatch.watched(STATIONS, List.of(AlertRule.of(rule("heat", List.of("A")))), batch))
                .containsExactlyInAnyOrder("A", "C");
    }
}

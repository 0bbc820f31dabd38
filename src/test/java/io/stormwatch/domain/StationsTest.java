package io.stormwatch.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.stormwatch.api.Command.StationCommand;
import io.stormwatch.api.Command.RecordObservation;
import io.stormwatch.api.Command.RecordObservations;
import io.stormwatch.api.Command.RegisterStation;
import io.stormwatch.api.Event;
import io.stormwatch.api.Event.ObservationRecorded;
import io.stormwatch.api.Event.StationRegistered;
import io.stormwatch.api.Observation;

/** Given events, when a command, then events (or a rejection). Plain Java: no framework, no database. */
class StationsTest {

    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
    private static final StationRegistered OSLO = new StationRegistered("OSLO-1", "Oslo", 59.91, 10.75, 23.0);

    private final Stations stations = new Stations(Duration.ofMinutes(5));
    private final Map<String, StationState> states = new HashMap<>();

    private StationsTest given(Event... events) {
        for (Event event : events) {
            states.put(event.streamId(), state(event.streamId()).evolve(event));
        }
        return this;
    }

    private StationState state(String streamId) {
        return states.getOrDefault(streamId, new StationState(streamId, null));
    }

    private Decision when(StationCommand command) {
        return stations.decide(id -> state(Event.stationStream(id)), command, NOW);
    }

    private static Observation observation(String stationId, Instant at) {
        return new Observation(stationId, at, 4.5, 80.0, 3.0, 6.0, 1012.0, 0.0);
    }

    @Test
    void registering_a_new_station_registers_it() {
        Decision decision = when(new RegisterStation("c1", "OSLO-1", "Oslo", 59.91, 10.75, 23.0));
        assertThat(decision).isEqualTo(Decision.accept(List.of(OSLO)));
    }

    @Test
    void registering_again_with_the_same_details_changes_nothing() {
        given(OSLO);
        assertThat(when(new RegisterStation("c2", "OSLO-1", "Oslo", 59.91, 10.75, 23.0)))
                .isEqualTo(Decision.accept(List.of()));
    }

    @Test
    void registering_again_with_new_details_records_them() {
        given(OSLO);
        assertThat(when(new RegisterStation("c2", "OSLO-1", "Oslo Blindern", 59.94, 10.72, 94.0)))
                .isEqualTo(Decision.accept(List.of(new StationRegistered("OSLO-1", "Oslo Blindern", 59.94, 10.72,
                        94.0))));
    }

    @Test
    void an_observation_of_a_registered_station_is_recorded() {
        given(OSLO);
        Observation observation = observation("OSLO-1", NOW.minusSeconds(60));
        assertThat(when(new RecordObservation("c3", observation)))
                .isEqualTo(Decision.accept(List.of(new ObservationRecorded(observation))));
    }

    @Test
    void an_observation_of_an_unknown_station_is_rejected() {
        assertThat(when(new RecordObservation("c4", observation("OSLO-9", NOW))))
                .isEqualTo(Decision.reject("unknown station OSLO-9"));
    }

    @Test
    void an_observation_from_the_future_is_rejected() {
        given(OSLO);
        Instant future = NOW.plus(Duration.ofMinutes(10));
        assertThat(when(new RecordObservation("c5", observation("OSLO-1", future))))
                .isEqualTo(Decision.reject("observedAt " + future + " is in the future"));
    }

    @Test
    void a_gust_below_the_mean_wind_is_rejected() {
        given(OSLO);
        Observation calmGust = new Observation("OSLO-1", NOW, 4.5, 80.0, 10.0, 5.0, null, null);
        assertThat(when(new RecordObservation("c6", calmGust)))
                .isEqualTo(Decision.reject("windGustMs must not be below windSpeedMs"));
    }

    @Test
    void a_batch_is_recorded_whole_or_rejected_whole_naming_the_item() {
        given(OSLO);
        List<Observation> good = new ArrayList<>(List.of(observation("OSLO-1", NOW), observation("OSLO-1",
                NOW.minusSeconds(30))));
        assertThat(when(new RecordObservations("c7", good))).isEqualTo(Decision.accept(
                good.stream().<Event>map(ObservationRecorded::new).toList()));

        good.add(observation("BERGEN-1", NOW));
        assertThat(when(new RecordObservations("c8", good))).isEqualTo(Decision.reject("unknown station BERGEN-1"));
        assertThat(when(new RecordObservations("c9", List.of(observation("OSLO-1", NOW.plusSeconds(3600))))))
                .isEqualTo(Decision.reject("observations[0].observedAt " + NOW.plusSeconds(3600)
                        + " is in the future"));
    }
}

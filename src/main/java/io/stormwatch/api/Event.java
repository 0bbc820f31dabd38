package io.stormwatch.api;

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

    static String stationStream(String stationId) {
        return "station-" + stationId;
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
}

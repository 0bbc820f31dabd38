package io.stormwatch.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

import io.stormwatch.api.Command.StationCommand;
import io.stormwatch.api.Command.RecordObservation;
import io.stormwatch.api.Command.RecordObservations;
import io.stormwatch.api.Command.RegisterStation;
import io.stormwatch.api.Event;
import io.stormwatch.api.Event.ObservationRecorded;
import io.stormwatch.api.Event.StationRegistered;
import io.stormwatch.api.Observation;

/**
 * The rules for station commands: decide(states, command) gives the events, which the caller then evolves into
 * the states before deciding the next command. Field-level bounds are checked before this, by Bean Validation.
 */
public final class Stations {

    private final Duration maxClockSkew;

    public Stations(Duration maxClockSkew) {
        this.maxClockSkew = maxClockSkew;
    }

    public Decision decide(Function<String, StationState> states, StationCommand command, Instant now) {
        return switch (command) {
            case RegisterStation register -> register(states.apply(register.stationId()), register);
            case RecordObservation record -> record(states, List.of(record.observation()), now, "");
            case RecordObservations batch -> record(states, batch.observations(), now, "observations");
        };
    }

    private static Decision register(StationState state, RegisterStation command) {
        StationRegistered registered = new StationRegistered(command.stationId(), command.name().strip(),
                command.latitude(), command.longitude(), command.elevationM());
        // Registering again with the same details is a no-op, so that a station may register at every start.
        if (state.registered() && Objects.equals(state.registration(), registered)) {
            return Decision.accept(List.of());
        }
        return Decision.accept(List.of(registered));
    }

    private Decision record(Function<String, StationState> states, List<Observation> observations, Instant now,
            String path) {
        List<Event> events = new ArrayList<>(observations.size());
        Instant latestAllowed = now.plus(maxClockSkew);
        for (int i = 0; i < observations.size(); i++) {
            Observation observation = observations.get(i);
            String at = path.isEmpty() ? "" : path + "[" + i + "].";
            if (!states.apply(observation.stationId()).registered()) {
                return Decision.reject("unknown station " + observation.stationId());
            }
            if (observation.observedAt().isAfter(latestAllowed)) {
                return Decision.reject(at + "observedAt " + observation.observedAt() + " is in the future");
            }
            if (observation.windGustMs() != null && observation.windGustMs() < observation.windSpeedMs()) {
                return Decision.reject(at + "windGustMs must not be below windSpeedMs");
            }
            events.add(new ObservationRecorded(observation));
        }
        return Decision.accept(events);
    }
}

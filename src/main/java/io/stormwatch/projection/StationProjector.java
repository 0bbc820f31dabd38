package io.stormwatch.projection;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.stormwatch.api.Event;
import io.stormwatch.api.Event.ObservationRecorded;
import io.stormwatch.api.Event.StationRegistered;
import io.stormwatch.eventstore.EventCodec;
import io.stormwatch.eventstore.RecordedEvent;

/**
 * Builds the station view. Its {@link Subscription} passes each event once, in order, in the transaction that
 * moves the checkpoint; a replay from an earlier checkpoint applies the same events in the same order and so gives
 * the same rows (each row also remembers the last position applied to it).
 */
@ApplicationScoped
public class StationProjector implements EventHandler {

    public static final String NAME = "stations";

    private final EventCodec codec;

    public StationProjector(EventCodec codec) {
        this.codec = codec;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> eventTypes() {
        return List.of(StationRegistered.class.getSimpleName(), ObservationRecorded.class.getSimpleName());
    }

    @Override
    public Uni<Void> apply(RecordedEvent stored) {
        Event event = codec.fromJson(stored.type(), stored.payload());
        return switch (event) {
            case StationRegistered registered -> StationView.<StationView>findById(registered.stationId())
                    .chain(view -> {
                        if (view == null) {
                            StationView row = new StationView();
                            row.apply(registered, stored.position());
                            return row.persist().replaceWithVoid();
                        }
                        if (stored.position() > view.lastPosition) {
                            view.apply(registered, stored.position());
                        }
                        return Uni.createFrom().voidItem();
                    });
            case ObservationRecorded recorded -> StationView.<StationView>findById(recorded.observation().stationId())
                    .invoke(view -> {
                        if (stored.position() > view.lastPosition) {
                            view.apply(recorded.observation(), stored.position());
                        }
                    })
                    .replaceWithVoid();
        };
    }
}

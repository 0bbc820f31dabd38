package io.stormwatch.query;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import io.stormwatch.eventstore.StoredEvent;

/** The event log, read in position order. */
@ApplicationScoped
public class EventQueries {

    @WithSession
    public Uni<List<EventView>> after(long position, int limit) {
        return StoredEvent.after(position, limit).map(events -> events.stream()
                .map(e -> new EventView(e.position, e.eventId, e.streamId, e.streamVersion, e.type, e.payload,
                        e.metadata, e.recordedAt))
                .toList());
    }
}

package io.stormwatch.eventstore;

import java.util.List;

import jakarta.inject.Singleton;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.stormwatch.platform.SafeContexts;

/**
 * The reads of {@link StoredEvent}, each in a session of its own on a safe context, whoever asks (an HTTP request, a
 * live tail's timer, the query channel).
 */
@Singleton
public class StoredEvents {

    private final SafeContexts contexts;

    public StoredEvents(SafeContexts contexts) {
        this.contexts = contexts;
    }

    /** At most {@code limit} events after {@code position} that match {@code filter}, in position order. */
    public Uni<List<RecordedEvent>> after(long position, EventFilter filter, int limit) {
        return contexts.run(() -> Panache.withSession(() -> StoredEvent.after(position, filter, limit)));
    }

    /** The events of one stream of the given types (all when empty), in order. */
    public Uni<List<RecordedEvent>> stream(String streamId, List<String> types) {
        return contexts.run(() -> Panache.withSession(() -> StoredEvent.stream(streamId, types, Long.MAX_VALUE)));
    }
}

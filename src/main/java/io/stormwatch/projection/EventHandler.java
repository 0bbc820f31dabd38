package io.stormwatch.projection;

import java.util.List;

import io.smallrye.mutiny.Uni;
import io.stormwatch.eventstore.RecordedEvent;

/**
 * A subscriber to the event stream inside the service. Its {@link Subscription} gives it each event of its
 * types once, in position order, inside the transaction that moves its checkpoint; duplicates, reordering and
 * gaps of the broker's deliveries never reach it.
 */
public interface EventHandler {

    /** Its checkpoint's name, and its name in the topology. */
    String name();

    /** The event types it reacts to; no others are passed to {@link #apply}. */
    List<String> eventTypes();

    /** Applies one event within the caller's transaction (a Panache session bound to the current context). */
    Uni<Void> apply(RecordedEvent event);
}

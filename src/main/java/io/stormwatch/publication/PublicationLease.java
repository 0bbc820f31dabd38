package io.stormwatch.publication;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.mutiny.Uni;

/**
 * One publication's lease, as one replica holds it. It is renewed when a third of its time has gone since the last
 * renewal (a write that waits for the WAL flush), and only checked on the cycles in between (a read): under load a
 * cycle runs every linger, and a renewal on each was a commit waiting for the flush each time.
 */
final class PublicationLease {

    private final String name;
    private final String owner;
    private final Duration ttl;
    private final PublicationStore store;
    private volatile boolean held;
    /** When the last renewal that succeeded was sent (nanoTime): the lease lasts at least the TTL from then. */
    private long renewedAt;

    PublicationLease(String name, String owner, Duration ttl, PublicationStore store) {
        this.name = name;
        this.owner = owner;
        this.ttl = ttl;
        this.store = store;
    }

    /** The publication's position when this replica holds the lease now, empty when another does. */
    Uni<Optional<Long>> take() {
        long now = System.nanoTime();
        Uni<Optional<Long>> lease = held && now - renewedAt < ttl.toNanos() / 3 ? store.holds(name, owner)
                : store.acquire(name, owner, ttl).invoke(position -> {
                    if (position.isPresent()) {
                        renewedAt = now;
                    }
                });
        return lease.invoke(position -> held = position.isPresent());
    }

    boolean held() {
        return held;
    }

    /** Records the position, if this replica still holds the lease. */
    Uni<Boolean> advance(long position) {
        return store.advance(name, owner, position);
    }

    /** Hands the lease over at once, rather than after it runs out. */
    Uni<Void> release() {
        return store.release(name, owner);
    }
}

package io.stormwatch.command;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.stormwatch.domain.StationState;

/**
 * What the command path knew of each station stream after this replica's last command batch: the stream's version
 * and the station's state, exact as of the head position that batch left behind.
 * <p>
 * A batch reads the head under the append lock, so nobody can append while it runs. If the head is where this
 * replica's last batch left it, nothing was appended since, and what that batch knew is still exact: the new batch
 * takes those streams from here and reads only the others. Any other head means someone else appended (another
 * replica, the alert evaluator, an expiry) and the batch reads every stream from the store, as it would without
 * this. After each commit the batch leaves what it knows of its own streams, which it read or wrote under the lock;
 * a batch that does not start where the last one ended replaces what is here instead of adding to it.
 */
@Singleton
public class StationStates {

    /** A stream's version and the state of its station, as of {@link #head}. */
    public record Known(long version, StationState state) {
    }

    /** Stations kept at most (a few hundred bytes each); past it, what is known starts again from the next batch. */
    static final int CAPACITY = 20_000;

    private final int capacity;
    private final Map<String, Known> known = new HashMap<>();
    /** The head position that what is known is exact for; -1 when nothing is. */
    private long head = -1;

    @Inject
    public StationStates() {
        this(CAPACITY);
    }

    StationStates(int capacity) {
        this.capacity = capacity;
    }

    /** What is known of some streams, exact if the store's head is {@code head} (-1: nothing is known). */
    public record Expected(long head, Map<String, Known> known) {

        /** What is known, if the head is {@code actual}; nothing otherwise. */
        public Map<String, Known> at(long actual) {
            return actual == head ? known : Map.of();
        }
    }

    /**
     * What is known of {@code streams}, and the head it is exact for. A batch takes this before it has the lock,
     * reads the other streams together with the lock, and uses these only if the head it finds under the lock is
     * this one.
     */
    public synchronized Expected expected(Collection<String> streams) {
        if (head < 0 || known.isEmpty()) {
            return new Expected(-1, Map.of());
        }
        Map<String, Known> found = new HashMap<>();
        for (String stream : streams) {
            Known k = known.get(stream);
            if (k != null) {
                found.put(stream, k);
            }
        }
        return new Expected(head, found);
    }

    /**
     * A batch that held the append lock from {@code from} committed and left the head at {@code to}; {@code after}
     * is what it knew of its streams then.
     */
    public synchronized void committed(long from, long to, Map<String, Known> after) {
        if (from != head || known.size() + after.size() > capacity) {
            known.clear();
        }
        known.putAll(after);
        head = to;
    }
}

package io.stormwatch.eventstore;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.stormwatch.platform.StormwatchConfig;

/**
 * The latest events this service committed, in memory: a contiguous run of positions, so that the service's own
 * handlers apply what was just appended without reading it back from the store and without parsing its JSON again.
 * <p>
 * It holds only what the store holds, committed: events are added after their transaction committed, and only as a
 * continuation of the run (positions are contiguous and committed in order, so a batch that starts right after the
 * run's last position proves that nothing else was appended in between). A batch that does not continue the run (an
 * append this service did not report, another replica's, or a report that came late) starts a new run, so a handler
 * behind its start reads the store as before. When it has nothing after a position, the store is read too: it is a
 * shortcut, never the source of truth. The subscriptions and the publications take their pages from it.
 */
@Singleton
public class RecentEvents {

    private final RecordedEvent[] ring;
    /** Index in {@link #ring} of the run's first event. */
    private int start;
    private int size;
    /** Position of the run's first event. */
    private long first;

    @Inject
    public RecentEvents(StormwatchConfig config) {
        this(config.projection().recentEvents());
    }

    /** A run of at most {@code capacity} events. */
    public RecentEvents(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("stormwatch.projection.recent-events must be at least 1");
        }
        this.ring = new RecordedEvent[capacity];
    }

    /** Events of one committed transaction, contiguous and in position order. */
    public synchronized void committed(List<RecordedEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        if (size > 0 && events.getFirst().position() != last() + 1) {
            clear();
        }
        for (RecordedEvent event : events) {
            if (size == 0) {
                first = event.position();
                start = 0;
            } else if (size == ring.length) {
                ring[start] = null;
                start = (start + 1) % ring.length;
                first++;
                size--;
            }
            ring[(start + size) % ring.length] = event;
            size++;
        }
    }

    /**
     * Up to {@code limit} events after {@code position}, in order, when they are held here; null when the store must
     * be read (nothing held after that position, or the run starts after it).
     */
    public List<RecordedEvent> after(long position, int limit) {
        EventLog.Scan scan = scan(position, List.of(), limit);
        return scan == null ? null : scan.events();
    }

    /**
     * Up to {@code limit} events after {@code position} of {@code types} (all when empty), in order, and how far the
     * run was looked through (past the last event when fewer than the limit matched); null when the store must be
     * read.
     */
    public synchronized EventLog.Scan scan(long position, List<String> types, int limit) {
        if (size == 0 || position + 1 < first || position >= last()) {
            return null;
        }
        List<RecordedEvent> events = new ArrayList<>(Math.min(limit, size));
        for (long p = position + 1; p <= last(); p++) {
            RecordedEvent event = ring[(int) ((start + p - first) % ring.length)];
            if (types.isEmpty() || types.contains(event.type())) {
                events.add(event);
                if (events.size() == limit) {
                    return new EventLog.Scan(events, p);
                }
            }
        }
        return new EventLog.Scan(events, last());
    }

    /** The last position held here, or -1 when nothing is. */
    public synchronized long head() {
        return size == 0 ? -1 : last();
    }

    private long last() {
        return first + size - 1;
    }

    private void clear() {
        Arrays.fill(ring, null);
        size = 0;
    }
}

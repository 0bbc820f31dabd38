package io.stormwatch.publication;

import java.util.List;

import io.stormwatch.eventstore.EventLog;
import io.stormwatch.eventstore.RecentEvents;

/**
 * Whether what the command path reports appended may hold events of some types: the alert publication is woken by
 * such appends only. Command batches hardly ever hold an alert event (an acknowledgement does), and waking the alert
 * publication after each batch made it check its lease and write its position up to 50 times a second under load,
 * only to pass over observations (docs/benchmarks.md); it passes over them on its poll instead. Told from
 * {@link RecentEvents}, which holds a batch's events before the batch is reported; whatever it cannot tell wakes the
 * publication.
 */
final class AppendedTypes {

    private final RecentEvents recent;
    private final List<String> types;
    /** The highest reported head looked at: the positions up to it have been looked through. */
    private long looked;

    AppendedTypes(RecentEvents recent, List<String> types) {
        this.recent = recent;
        this.types = List.copyOf(types);
    }

    /**
     * Whether the appends reported up to {@code head} may hold events of the types: true when they do, and when that
     * cannot be told (a head of 0, as the alert evaluator and the expiry report theirs; positions no longer held in
     * memory).
     */
    synchronized boolean mayHold(long head) {
        if (head <= 0) {
            return true;
        }
        if (head <= looked) {
            return false;
        }
        long after = looked;
        looked = head;
        EventLog.Scan scan = recent.scan(after, types, 1);
        return scan == null || !scan.events().isEmpty();
    }
}

package io.stormwatch.query;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Singleton;

import io.quarkus.vertx.ConsumeEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.stormwatch.eventstore.EventFilter;
import io.stormwatch.eventstore.EventLog;
import io.stormwatch.eventstore.EventStore;
import io.stormwatch.eventstore.RecentEvents;
import io.stormwatch.eventstore.StoredEvents;
import io.stormwatch.eventstore.RecordedEvent;
import io.vertx.mutiny.core.Vertx;

/**
 * The event log for outside readers: a page after a position, or a live tail. The tail is one cursor over the
 * store, history first and then new events as they commit, so there is no seam where an event could be missed or
 * sent twice. It waits for a commit in this replica (the local event bus), or for the check below to find other
 * replicas' appends.
 * <p>
 * Live tails share one reader: what this replica has just appended is in {@link RecentEvents}, and a tail whose
 * cursor is inside that run takes its page from there. With one query per tail per commit (and one per tail every
 * idle second), 500 tails and a command every 0.3 s kept PostgreSQL so busy that /api/stats took 1.9 s instead of
 * 5 to 10 ms. A tail reads the store only when it is behind the run, or after appends that are not all in memory:
 * alert events, and other replicas' appends, which one check of the store's head per second finds for all tails.
 */
@Singleton
public class EventQueries {

    private static final int TAIL_PAGE = 200;
    private static final Duration HEAD_CHECK = Duration.ofSeconds(1);

    private final EventLog log;
    private final StoredEvents stored;
    private final RecentEvents recent;
    private final AtomicInteger tails = new AtomicInteger();
    /** The store's head at the last check, for the appends this replica did not make. */
    private volatile long storeHead = -1;
    private volatile CompletableFuture<Void> nextCommit = new CompletableFuture<>();
    /** Counts commits that are not all in {@link RecentEvents}: a tail that has not seen the latest reads the store. */
    private volatile long unheld;

    public EventQueries(EventLog log, StoredEvents stored, RecentEvents recent, Vertx vertx) {
        this.log = log;
        this.stored = stored;
        this.recent = recent;
        vertx.setPeriodic(HEAD_CHECK.toMillis(), id -> checkStoreHead());
    }

    public Uni<List<RecordedEvent>> after(long position, EventFilter filter, int limit) {
        return stored.after(position, filter, limit);
    }

    /** Every matching event after {@code position}, then each new one as it is committed; never completes. */
    public Multi<RecordedEvent> follow(long position, EventFilter filter) {
        Tail tail = new Tail(position, filter);
        return Multi.createBy().repeating().uni(tail::next).indefinitely().onItem().<RecordedEvent>disjoint()
                .onSubscription().invoke(tails::incrementAndGet)
                .onTermination().invoke(tails::decrementAndGet);
    }

    /** One tail's cursor; its pages come one after the other, never two at once. */
    private final class Tail {
        private final EventFilter filter;
        private long cursor;
        private boolean readStore = true;
        private long unheldSeen = -1;

        Tail(long position, EventFilter filter) {
            this.cursor = position;
            this.filter = filter;
        }

        Uni<List<RecordedEvent>> next() {
            // Taken before the read: a commit during the read wakes the wait below at once.
            CompletableFuture<Void> commit = nextCommit;
            long unheldNow = unheld;
            if (unheldNow != unheldSeen) {
                readStore = true;
                unheldSeen = unheldNow;
            }
            Page page = readStore ? null : fromMemory();
            Uni<Page> read = page != null ? Uni.createFrom().item(page) : fromStore();
            return read.chain(p -> {
                if (!p.atHead()) {
                    return Uni.createFrom().item(p.events());
                }
                // A copy per waiter: a wait that ends (the client leaves) cancels what it waits on, and the shared
                // future must stay pending for every other tail (cancelled, it failed every stream's next wait).
                return Uni.createFrom().completionStage(commit.copy()).replaceWith(p.events());
            });
        }

        /** The page from this replica's recent appends, or null when they do not cover the cursor. */
        private Page fromMemory() {
            if (cursor == recent.head()) {
                return new Page(List.of(), true);
            }
            EventLog.Scan scan = recent.scan(cursor, filter.types(), TAIL_PAGE);
            if (scan == null) {
                return null;
            }
            List<RecordedEvent> events = filter.streamId() == null ? scan.events()
                    : scan.events().stream().filter(e -> e.streamId().equals(filter.streamId())).toList();
            cursor = scan.through();
            return new Page(events, events.isEmpty() && cursor == recent.head());
        }

        private Uni<Page> fromStore() {
            return stored.after(cursor, filter, TAIL_PAGE).map(events -> {
                readStore = false;
                if (events.isEmpty()) {
                    return new Page(events, true);
                }
                cursor = events.getLast().position();
                return new Page(events, false);
            });
        }
    }

    /** A page of a tail, and whether the tail has reached the newest event it can know of. */
    private record Page(List<RecordedEvent> events, boolean atHead) {
    }

    @ConsumeEvent(EventStore.APPENDED)
    void committed(long head) {
        if (head != recent.head()) {
            unheld++;
        }
        wake();
    }

    /** Once a second while tails are open: the store's head, for what other replicas appended. */
    private void checkStoreHead() {
        if (tails.get() == 0) {
            return;
        }
        log.head().subscribe().with(head -> {
            if (head != storeHead) {
                storeHead = head;
                if (head != recent.head()) {
                    unheld++;
                    wake();
                }
            }
        }, failure -> {
            // The next check tries again; the tails keep what they have.
        });
    }

    private void wake() {
        CompletableFuture<Void> waiting = nextCommit;
        nextCommit = new CompletableFuture<>();
        waiting.complete(null);
    }
}

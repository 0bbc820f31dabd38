package io.stormwatch.projection;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.ObjLongConsumer;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.stormwatch.eventstore.EventFilter;
import io.stormwatch.eventstore.EventLog;
import io.stormwatch.eventstore.RecentEvents;
import io.stormwatch.eventstore.RecordedEvent;
import io.stormwatch.platform.LingeredRuns;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Feeds one or more {@link EventHandler}s from the event store, the truth: each run reads the log after their
 * checkpoints, a page per transaction, and applies it with the checkpoints' rows locked, so that a batch is applied
 * once whichever replica runs it, and a crash never applies an event twice (a checkpoint moves in the transaction
 * of its handler's rows). What this service has just appended is taken from {@link RecentEvents} instead of being
 * read back. Runs are asked for after every local append and by the poll, at most one start per linger; a request
 * that comes while a run is going makes it go round once more, so nothing appended meanwhile waits for the poll.
 * <p>
 * Handlers subscribed together share each run's transaction: one lock of their checkpoints, one move of them, one
 * commit, instead of one of each per handler (each with its round trips and its share of the cores, whatever the
 * page's size). The page is read after the lowest checkpoint, and each handler is given the events after its own.
 * Handlers run together only while they keep up ({@link Apart}): a full page is a backlog, where the transaction's
 * cost is spread over the page and the handlers go faster alone, side by side on two cores, than one after the
 * other in one transaction; and checkpoints further apart than a page would let the handler behind hold the others
 * back a page at a time. A failure of one handler rolls the whole transaction back; {@link Subscriptions} then runs
 * each handler alone, so one handler's failure never stops the others.
 * <p>
 * The handlers read the store, not weather.events: four durable subscriptions of the service's own broker
 * deliveries cost more than the whole command path (docs/benchmarks.md), for events the service had just written
 * to its own database.
 */
public final class Subscription {

    /**
     * A run together found a backlog (a full page) or checkpoints more than a page apart: nothing was applied; run the
     * handlers alone.
     */
    public static final class Apart extends RuntimeException {
        Apart(String message) {
            super(message, null, false, false);
        }
    }

    private final List<EventHandler> handlers;
    private final String[] names;
    /** Told each handler's name and its checkpoint's position after each commit. */
    private final ObjLongConsumer<String> afterCommit;
    private final Pool pool;
    private final EventLog log;
    private final RecentEvents recentEvents;
    private final int pageSize;
    /** At most one start per linger: under load the appends of several command batches go into one transaction. */
    private final LingeredRuns runs;

    Subscription(List<EventHandler> handlers, Pool pool, EventLog log, RecentEvents recentEvents, int pageSize,
            Duration linger, ObjLongConsumer<String> afterCommit) {
        if (handlers.isEmpty()) {
            throw new IllegalArgumentException("a subscription needs a handler");
        }
        this.handlers = List.copyOf(handlers);
        this.names = handlers.stream().map(EventHandler::name).toArray(String[]::new);
        this.afterCommit = afterCommit;
        this.pool = pool;
        this.log = log;
        this.recentEvents = recentEvents;
        this.pageSize = pageSize;
        this.runs = new LingeredRuns(linger, this::drain,
                pause -> Uni.createFrom().voidItem().onItem().delayIt().by(pause));
    }

    /**
     * Applies everything up to the head of the store. A call while a run is going returns at once and makes that
     * run go round again.
     */
    public Uni<Void> catchUp() {
        return runs.request();
    }

    /** Pages until one is not full. A loop, not a chain of pages: a chain would keep every page reachable. */
    private Uni<Void> drain() {
        return Multi.createBy().repeating().uni(() -> inTransaction(this::readPage)).until(full -> !full)
                .collect().last().replaceWithVoid();
    }

    /** Applies the next page of the store; tells whether it was full, so that more may follow. */
    private Uni<Boolean> readPage(Checkpoints checkpoints) {
        long from = checkpoints.lowest();
        if (checkpoints.highest() - from > pageSize) {
            return Uni.createFrom().failure(new Apart("checkpoints " + checkpoints.positions + " are more than a"
                    + " page (" + pageSize + ") apart"));
        }
        List<RecordedEvent> recent = recentEvents.after(from, pageSize);
        Uni<List<RecordedEvent>> read = recent != null ? Uni.createFrom().item(recent)
                : log.after(checkpoints.tx, from, EventFilter.ALL, pageSize);
        return read.chain(page -> {
            boolean full = page.size() == pageSize;
            if (full && handlers.size() > 1) {
                return Uni.createFrom().failure(new Apart("a full page (" + pageSize + " events) after "
                        + checkpoints.positions));
            }
            return applyAll(checkpoints, page).replaceWith(full);
        });
    }

    /** Each handler in turn (statements on the transaction run one at a time), then one move of the checkpoints. */
    private Uni<Void> applyAll(Checkpoints checkpoints, List<RecordedEvent> page) {
        if (page.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        long through = page.getLast().position();
        List<String> moved = new ArrayList<>(handlers.size());
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (EventHandler handler : handlers) {
            long position = checkpoints.of(handler.name());
            if (position >= through) {
                continue;
            }
            List<String> types = handler.eventTypes();
            List<RecordedEvent> relevant = page.stream()
                    .filter(e -> e.position() > position && types.contains(e.type())).toList();
            moved.add(handler.name());
            if (!relevant.isEmpty()) {
                checkpoints.applied.add(handler);
                chain = chain.chain(() -> handler.apply(checkpoints.tx, relevant));
            }
        }
        if (moved.isEmpty()) {
            return chain;
        }
        return chain.chain(() -> checkpoints.move(moved, through));
    }

    /** Runs {@code work} on the locked checkpoints in a transaction. */
    private <T> Uni<T> inTransaction(Function<Checkpoints, Uni<T>> work) {
        Checkpoints[] locked = new Checkpoints[1];
        return pool.withTransaction(tx -> Checkpoints.lock(tx, names)
                        .invoke(checkpoints -> locked[0] = checkpoints)
                        .chain(checkpoints -> work.apply(checkpoints)))
                .invoke(() -> {
                    locked[0].applied.forEach(EventHandler::committed);
                    handlers.forEach(h -> afterCommit.accept(h.name(), locked[0].of(h.name())));
                });
    }
}

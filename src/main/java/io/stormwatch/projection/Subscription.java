package io.stormwatch.projection;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.LongConsumer;

import io.smallrye.mutiny.Uni;
import io.stormwatch.eventstore.EventFilter;
import io.stormwatch.eventstore.EventLog;
import io.stormwatch.eventstore.RecentEvents;
import io.stormwatch.eventstore.RecordedEvent;
import io.stormwatch.infra.Linger;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Feeds one {@link EventHandler} from the event store, the truth: each run reads the log after the handler's
 * checkpoint, a page per transaction, and applies it with the checkpoint's row locked, so that a batch is applied
 * once whichever replica runs it, and a crash never applies an event twice (the checkpoint moves in the transaction
 * of the handler's rows). What this service has just appended is taken from {@link RecentEvents} instead of being
 * read back. Runs are asked for after every local append and by the poll, at most one start per linger; a request
 * that comes while a run is going makes it go round once more, so nothing appended meanwhile waits for the poll.
 * <p>
 * The handlers used to get their events from weather.events, like any outside subscriber. Four durable
 * subscriptions of the service's own broker deliveries cost more than the whole command path (docs/benchmarks.md),
 * for events the service had just written to its own database: they read the store now.
 */
public final class Subscription {

    private static final String LOCK = "SELECT position FROM projection_checkpoint WHERE name = $1 FOR UPDATE";
    /**
     * The same for a view: its transaction commits without waiting for the WAL flush. Its rows and its checkpoint
     * commit together or not at all either way; what a database crash can take is the view's last commits, and the
     * subscription applies those events again from the store, which is written with synchronous commits. A handler
     * whose transaction appends events (the alert evaluator) keeps waiting for the flush.
     */
    private static final String LOCK_VIEW = """
            SELECT position, set_config('synchronous_commit', 'off', true)
            FROM projection_checkpoint WHERE name = $1 FOR UPDATE""";
    private static final String MOVE = "UPDATE projection_checkpoint SET position = $2, updated_at = now() WHERE name = $1";

    /** The checkpoint row, locked for the transaction, and the transaction itself. */
    private static final class Checkpoint {
        final SqlConnection tx;
        long position;

        Checkpoint(SqlConnection tx, long position) {
            this.tx = tx;
            this.position = position;
        }
    }

    private final EventHandler handler;
    /** Told the checkpoint's position after each commit. */
    private final LongConsumer afterCommit;
    private final Pool pool;
    private final EventLog log;
    private final RecentEvents recentEvents;
    private final int pageSize;
    /** Runs asked for: 0 when idle; a run goes round again while more were asked for during it. */
    private final AtomicInteger requested = new AtomicInteger();
    private final Linger linger;

    Subscription(EventHandler handler, Pool pool, EventLog log, RecentEvents recentEvents, int pageSize,
            Duration linger, LongConsumer afterCommit) {
        this.handler = handler;
        this.afterCommit = afterCommit;
        this.pool = pool;
        this.log = log;
        this.recentEvents = recentEvents;
        this.pageSize = pageSize;
        this.linger = new Linger(linger);
    }

    public EventHandler handler() {
        return handler;
    }

    /**
     * Applies everything up to the head of the store. A call while a run is going returns at once and makes that
     * run go round again.
     */
    public Uni<Void> catchUp() {
        if (requested.getAndIncrement() > 0) {
            return Uni.createFrom().voidItem();
        }
        return run();
    }

    /**
     * One run, started no sooner than the linger after the last one started: under load the appends of several
     * command batches go into one transaction instead of one each.
     */
    private Uni<Void> run() {
        long waitMillis = linger.waitMillis();
        Uni<Void> start = waitMillis > 0
                ? Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofMillis(waitMillis))
                : Uni.createFrom().voidItem();
        return start.chain(() -> {
            linger.started();
            int asked = requested.get();
            return drain().chain(() -> requested.compareAndSet(asked, 0) ? Uni.createFrom().voidItem() : run());
        }).onFailure().invoke(() -> requested.set(0));
    }

    private Uni<Void> drain() {
        return inTransaction(this::readPage).chain(full -> full ? drain() : Uni.createFrom().voidItem());
    }

    /** Applies the next page of the store; tells whether it was full, so that more may follow. */
    private Uni<Boolean> readPage(Checkpoint checkpoint) {
        List<RecordedEvent> recent = recentEvents.after(checkpoint.position, pageSize);
        Uni<List<RecordedEvent>> read = recent != null ? Uni.createFrom().item(recent)
                : log.after(checkpoint.tx, checkpoint.position, EventFilter.ALL, pageSize);
        return read.chain(page -> applyAll(checkpoint, page).replaceWith(page.size() == pageSize));
    }

    private Uni<Void> applyAll(Checkpoint checkpoint, List<RecordedEvent> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<RecordedEvent> relevant = events.stream().filter(e -> handler.eventTypes().contains(e.type())).toList();
        long through = events.getLast().position();
        Uni<Void> applied = relevant.isEmpty() ? Uni.createFrom().voidItem() : handler.apply(checkpoint.tx, relevant);
        return applied
                .chain(() -> checkpoint.tx.preparedQuery(MOVE).execute(Tuple.of(handler.name(), through)))
                .invoke(() -> checkpoint.position = through)
                .replaceWithVoid();
    }

    /** Runs {@code work} on the locked checkpoint in a transaction. */
    private <T> Uni<T> inTransaction(Function<Checkpoint, Uni<T>> work) {
        long[] committed = {-1};
        String lock = handler.viewTables().isEmpty() ? LOCK : LOCK_VIEW;
        return pool.withTransaction(tx -> tx.preparedQuery(lock).execute(Tuple.of(handler.name()))
                        .chain(rows -> {
                            if (rows.size() == 0) {
                                return Uni.createFrom().failure(new IllegalStateException(
                                        "no checkpoint row for " + handler.name()));
                            }
                            Checkpoint checkpoint = new Checkpoint(tx, rows.iterator().next().getLong(0));
                            return work.apply(checkpoint).invoke(() -> committed[0] = checkpoint.position);
                        }))
                .invoke(() -> {
                    handler.committed();
                    afterCommit.accept(committed[0]);
                });
    }
}

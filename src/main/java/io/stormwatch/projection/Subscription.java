package io.stormwatch.projection;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.stormwatch.eventstore.EventFilter;
import io.stormwatch.eventstore.EventLog;
import io.stormwatch.eventstore.RecordedEvent;
import io.stormwatch.infra.MicroBatcher;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Feeds one {@link EventHandler} from two sources: the broker's deliveries on weather.events (the fast path) and
 * the event store (the truth). Deliveries are at-least-once and may come out of order, so each batch is checked
 * against the checkpoint, under its row lock:
 * <ul>
 * <li>positions at or below the checkpoint were applied already and are skipped;</li>
 * <li>a batch that continues the checkpoint without a hole is applied as delivered;</li>
 * <li>anything else (a gap, or a lag past the catch-up distance) is read from the event store by position, a page
 * per transaction, before going on; deliveries below the new checkpoint are then skipped.</li>
 * </ul>
 * The checkpoint moves in the transaction of the handler's rows, so a crash never applies an event twice.
 */
public final class Subscription {

    private static final Logger LOG = Logger.getLogger(Subscription.class);
    private static final Duration BATCH_WAIT = Duration.ofMillis(5);

    private static final String LOCK = "SELECT position FROM projection_checkpoint WHERE name = $1 FOR UPDATE";
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
    private final Runnable afterCommit;
    private final Pool pool;
    private final EventLog log;
    private final int pageSize;
    private final long catchUpDistance;
    private final AtomicBoolean draining = new AtomicBoolean();
    /** The checkpoint as last committed here: a lower bound of the real one, which other replicas move too. */
    private volatile long applied;

    Subscription(EventHandler handler, Pool pool, EventLog log, int pageSize, long catchUpDistance,
            Runnable afterCommit) {
        this.handler = handler;
        this.afterCommit = afterCommit;
        this.pool = pool;
        this.log = log;
        this.pageSize = pageSize;
        this.catchUpDistance = catchUpDistance;
    }

    public EventHandler handler() {
        return handler;
    }

    /** A subscriber for one attachment of the handler's link; it settles every delivery once it is applied or skipped. */
    public Flow.Subscriber<Delivery> newPipeline() {
        MicroBatcher<Delivery> batcher = new MicroBatcher<>(pageSize, BATCH_WAIT, 2 * pageSize);
        batcher.batches()
                .onItem().transformToUniAndConcatenate(batch -> deliver(batch)
                        // The store has every event: what failed here is filled in from it by the next batch or poll.
                        .onFailure().invoke(e -> LOG.warnf("%s: deliveries not applied (%s); the store fills them in",
                                handler.name(), e.toString()))
                        .onFailure().recoverWithNull()
                        .eventually(() -> {
                            batch.forEach(delivery -> delivery.settle().run());
                            batcher.done(batch.size());
                        }))
                .subscribe().with(ignored -> {
                }, e -> LOG.errorf("%s: delivery pipeline ended: %s", handler.name(), e.toString()));
        return batcher;
    }

    /** Applies a batch of deliveries, filling any gap before it from the event store. */
    public Uni<Void> deliver(List<Delivery> batch) {
        long target = batch.stream().mapToLong(Delivery::position).max().orElse(0);
        if (target <= applied) {
            return Uni.createFrom().voidItem();
        }
        return inTransaction(checkpoint -> {
            if (target <= checkpoint.position) {
                return Uni.createFrom().item(checkpoint.position);
            }
            List<RecordedEvent> continuation = continuation(batch, checkpoint.position, target);
            Uni<?> applying = continuation != null ? applyAll(checkpoint, continuation) : readPage(checkpoint);
            return applying.map(ignored -> checkpoint.position);
        }).chain(reached -> reached < target ? drain() : Uni.createFrom().voidItem());
    }

    /** Applies everything up to the head of the store, a page per transaction. Concurrent calls run once. */
    public Uni<Void> catchUp() {
        if (!draining.compareAndSet(false, true)) {
            return Uni.createFrom().voidItem();
        }
        return drain().eventually(() -> draining.set(false));
    }

    private Uni<Void> drain() {
        return inTransaction(this::readPage).chain(full -> full ? drain() : Uni.createFrom().voidItem());
    }

    /** Applies the next page of the store; tells whether it was full, so that more may follow. */
    private Uni<Boolean> readPage(Checkpoint checkpoint) {
        return log.after(checkpoint.tx, checkpoint.position, EventFilter.ALL, pageSize)
                .chain(page -> applyAll(checkpoint, page).replaceWith(page.size() == pageSize));
    }

    /** The deliveries as the events right after {@code from}, up to {@code to}, if they are all there. */
    private List<RecordedEvent> continuation(List<Delivery> batch, long from, long to) {
        if (to - from > catchUpDistance) {
            return null;
        }
        TreeMap<Long, RecordedEvent> byPosition = new TreeMap<>();
        for (Delivery delivery : batch) {
            if (delivery.position() > from) {
                byPosition.putIfAbsent(delivery.position(), delivery.event());
            }
        }
        return byPosition.size() == to - from ? new ArrayList<>(byPosition.values()) : null;
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

    /** Runs {@code work} on the locked checkpoint in a transaction; remembers where the checkpoint ended. */
    private <T> Uni<T> inTransaction(Function<Checkpoint, Uni<T>> work) {
        long[] committed = new long[1];
        return pool.withTransaction(tx -> tx.preparedQuery(LOCK).execute(Tuple.of(handler.name()))
                        .chain(rows -> {
                            if (rows.size() == 0) {
                                return Uni.createFrom().failure(new IllegalStateException(
                                        "no checkpoint row for " + handler.name()));
                            }
                            Checkpoint checkpoint = new Checkpoint(tx, rows.iterator().next().getLong(0));
                            return work.apply(checkpoint).invoke(() -> committed[0] = checkpoint.position);
                        }))
                .invoke(() -> {
                    applied = Math.max(applied, committed[0]);
                    handler.committed();
                    afterCommit.run();
                });
    }
}

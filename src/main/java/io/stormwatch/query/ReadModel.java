package io.stormwatch.query;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.inject.Singleton;

import io.quarkus.vertx.ConsumeEvent;
import io.smallrye.mutiny.Uni;
import io.stormwatch.alerting.AlertProjector;
import io.stormwatch.platform.StormwatchConfig;
import io.stormwatch.projection.ObservationProjector;
import io.stormwatch.projection.StationProjector;
import io.stormwatch.projection.Subscriptions;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The read model's position: how far every projection that answers queries has applied the log (the lowest of
 * their checkpoints). A query with {@code minPosition} waits here until that position is reached, or fails as
 * NOT_YET after {@code stormwatch.queries.max-wait}. Waiting costs no database polling per query: the projections
 * here tell it the checkpoints they commit, and while anyone waits one refresh every 200 ms serves every waiter
 * for progress made by other replicas.
 */
@Singleton
public class ReadModel {

    static final List<String> PROJECTIONS = List.of(StationProjector.NAME, ObservationProjector.NAME,
            AlertProjector.NAME);
    private static final Duration REFRESH = Duration.ofMillis(200);
    /** How old the last read position may be for an answer: other replicas' progress shows within this. */
    private static final long FRESH_NANOS = Duration.ofMillis(500).toNanos();

    private record Waiter(long minPosition, CompletableFuture<Long> reached) {
    }

    private final Pool pool;
    private final Vertx vertx;
    private final Duration maxWait;
    private final int maxWaiting;
    private final List<Waiter> waiters = new ArrayList<>();
    private final AtomicBoolean refreshing = new AtomicBoolean();
    private volatile long known;
    /** The checkpoint each projection last committed here. */
    private final Map<String, Long> committed = new ConcurrentHashMap<>();
    /** When {@link #known} was last read from the checkpoints (System.nanoTime), 0 for never. */
    private volatile long knownAt = System.nanoTime() - 2 * FRESH_NANOS;
    private long timer = -1;

    public ReadModel(Pool pool, Vertx vertx, StormwatchConfig config) {
        this.pool = pool;
        this.vertx = vertx;
        this.maxWait = config.queries().maxWait();
        this.maxWaiting = config.queries().maxWaiting();
    }

    /**
     * The position now: the one last read from the checkpoints when that is recent (this replica's projections
     * refresh it on every commit, so a query costs no extra round trip), else read again. It is a lower bound:
     * whatever a query reads afterwards includes at least everything up to it.
     */
    public Uni<Long> position() {
        if (System.nanoTime() - knownAt < FRESH_NANOS) {
            return Uni.createFrom().item(known);
        }
        return read();
    }

    private Uni<Long> read() {
        long started = System.nanoTime();
        return pool.preparedQuery("SELECT COALESCE(MIN(position), 0) FROM projection_checkpoint WHERE name = ANY($1)")
                .execute(Tuple.of(PROJECTIONS.toArray(String[]::new)))
                .map(rows -> rows.iterator().next().getLong(0))
                .invoke(p -> {
                    known = Math.max(known, p);
                    knownAt = Math.max(knownAt, started);
                });
    }

    /**
     * The position once it is at least {@code minPosition} (now, if that is null), within the bound. The answer
     * comes back on the caller's Vert.x context: a waiter is released by a refresh that runs elsewhere, and the
     * query that follows must not share that context's Hibernate Reactive session with the other waiters.
     */
    public Uni<Long> await(Long minPosition) {
        if (minPosition == null || minPosition <= known) {
            return position();
        }
        return Uni.createFrom().deferred(() -> {
            io.vertx.core.Context caller = io.vertx.core.Vertx.currentContext();
            Uni<Long> reached = waitFor(minPosition);
            return caller == null ? reached : reached.emitOn(task -> caller.runOnContext(ignored -> task.run()));
        });
    }

    private Uni<Long> waitFor(long minPosition) {
        CompletableFuture<Long> reached = new CompletableFuture<>();
        Waiter waiter = new Waiter(minPosition, reached);
        synchronized (this) {
            if (waiters.size() >= maxWaiting) {
                return Uni.createFrom().failure(new QueryException(QueryException.Kind.BUSY, maxWaiting
                        + " queries are waiting for their minPosition already (stormwatch.queries.max-waiting);"
                        + " retry later"));
            }
            waiters.add(waiter);
            if (timer < 0) {
                timer = vertx.setPeriodic(REFRESH.toMillis(), id -> refresh());
            }
        }
        refresh();
        return Uni.createFrom().completionStage(reached)
                .ifNoItem().after(maxWait).failWith(() -> new QueryException(QueryException.Kind.NOT_YET,
                        "the read model is at position " + known + " and has not reached minPosition " + minPosition
                                + " within " + maxWait.toMillis() + " ms; retry later"))
                .onTermination().invoke(() -> forget(waiter));
    }

    /**
     * A projection here committed its checkpoint: once each of them has, the lowest of the positions they committed
     * is a lower bound of the read model's position (checkpoints only move forward), and waiters are released by
     * it without a read. It does not count as a fresh read: other replicas' progress still shows within 500 ms.
     */
    @ConsumeEvent(Subscriptions.PROJECTED)
    void projected(JsonObject projected) {
        String projection = projected.getString("projection");
        if (!PROJECTIONS.contains(projection)) {
            return;
        }
        committed.merge(projection, projected.getLong("position"), Math::max);
        if (committed.size() < PROJECTIONS.size()) {
            refresh();
            return;
        }
        long reached = Collections.min(committed.values());
        if (reached > known) {
            known = reached;
            release(reached);
        }
    }

    private void refresh() {
        if (!refreshing.compareAndSet(false, true)) {
            return;
        }
        read().eventually(() -> refreshing.set(false)).subscribe().with(this::release, e -> {
        });
    }

    private synchronized void release(long position) {
        Iterator<Waiter> it = waiters.iterator();
        while (it.hasNext()) {
            Waiter waiter = it.next();
            if (waiter.minPosition() <= position) {
                it.remove();
                waiter.reached().complete(position);
            }
        }
        stopTimerIfIdle();
    }

    private synchronized void forget(Waiter waiter) {
        waiters.remove(waiter);
        stopTimerIfIdle();
    }

    private void stopTimerIfIdle() {
        if (waiters.isEmpty() && timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
    }
}

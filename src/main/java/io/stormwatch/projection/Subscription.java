package io.stormwatch.projection;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import jakarta.persistence.LockModeType;

import org.jboss.logging.Logger;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.stormwatch.eventstore.RecordedEvent;
import io.stormwatch.eventstore.StoredEvent;
import io.stormwatch.infra.MicroBatcher;
import io.stormwatch.infra.SafeContexts;

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

    private final EventHandler handler;
    private final SafeContexts contexts;
    private final int pageSize;
    private final long catchUpDistance;
    private final AtomicBoolean draining = new AtomicBoolean();
    /** The checkpoint as last committed here: a lower bound of the real one, which other replicas move too. */
    private volatile long applied;

    Subscription(EventHandler handler, SafeContexts contexts, int pageSize, long catchUpDistance) {
        this.handler = handler;
        this.contexts = contexts;
        this.pageSize = pageSize;
        this.catchUpDistance = catchUpDistance;
    }

    public EventHandler handler() {
        return handler;
    }

    public long applied() {
        return applied;
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
    private Uni<Boolean> readPage(ProjectionCheckpoint checkpoint) {
        return StoredEvent.after(checkpoint.position, pageSize).chain(page -> applyAll(checkpoint,
                page.stream().map(StoredEvent::toRecorded).toList()).replaceWith(page.size() == pageSize));
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

    private Uni<Void> applyAll(ProjectionCheckpoint checkpoint, List<RecordedEvent> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        // One after the other: a Hibernate Reactive session must never run two operations at once.
        return Multi.createFrom().iterable(events)
                .filter(event -> handler.eventTypes().contains(event.type()))
                .onItem().transformToUniAndConcatenate(handler::apply)
                .collect().last()
                .invoke(() -> {
                    checkpoint.position = events.getLast().position();
                    checkpoint.updatedAt = OffsetDateTime.now();
                })
                .replaceWithVoid();
    }

    /** Runs {@code work} on the locked checkpoint in a transaction; remembers where the checkpoint ended. */
    private <T> Uni<T> inTransaction(Function<ProjectionCheckpoint, Uni<T>> work) {
        long[] committed = new long[1];
        return contexts.run(() -> Panache.withTransaction(() -> ProjectionCheckpoint
                        .<ProjectionCheckpoint>findById(handler.name(), LockModeType.PESSIMISTIC_WRITE)
                        .chain(checkpoint -> work.apply(checkpoint).invoke(() -> committed[0] = checkpoint.position))))
                .invoke(() -> applied = Math.max(applied, committed[0]));
    }
}

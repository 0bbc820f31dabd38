package io.stormwatch.platform;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.mutiny.operators.multi.processors.UnicastProcessor;
import io.smallrye.mutiny.subscription.MultiSubscriber;

/**
 * Groups a stream into batches of at most {@code maxSize}, flushing a partial batch after {@code maxWait}, or later if
 * the batch before it is still in work: then it goes as soon as that one is {@link #done(int) done}, with whatever
 * came meanwhile. So a loaded pipeline executes one large batch after another instead of a queue of small ones, each
 * paying the per-transaction costs (the lock's round trips, the commit's flush) for a few commands.
 * <p>
 * Mutiny's {@code group().intoLists().of(size, duration)} fails the stream with a BackPressureFailure when its
 * timer fires while downstream is busy, which is exactly the case under load. Here demand to upstream is credit:
 * at most {@code maxInFlight} items are taken before the caller reports them {@link #done(int) done}, so the
 * AMQP receiver stops granting credit when the database is slow, and nothing is buffered without bound.
 */
public final class MicroBatcher<T> implements MultiSubscriber<T> {

    private final int maxSize;
    private final int maxWeight;
    private final ToIntFunction<T> weight;
    private final Duration maxWait;
    private final int maxInFlight;
    private final ScheduledExecutorService timer = Infrastructure.getDefaultWorkerPool();
    private final UnicastProcessor<List<T>> batches = UnicastProcessor.create();
    private Flow.Subscription upstream;
    private List<T> current = new ArrayList<>();
    /** The weight of {@link #current}. */
    private int currentWeight;
    private ScheduledFuture<?> pendingFlush;
    /** Batches emitted and not yet done. */
    private int inWork;
    /** The partial batch has waited {@code maxWait}: it goes when nothing is in work. */
    private boolean due;

    /**
     * Batches also close once their items weigh {@code maxWeight} together (a command of 100 observations weighs
     * 100): a batch that reaches it goes at once, as a full one does.
     */
    public MicroBatcher(int maxSize, int maxWeight, ToIntFunction<T> weight, Duration maxWait, int maxInFlight) {
        if (maxSize < 1 || maxInFlight < maxSize || maxWeight < 1) {
            throw new IllegalArgumentException("need 1 <= maxSize <= maxInFlight and 1 <= maxWeight");
        }
        this.maxSize = maxSize;
        this.maxWeight = maxWeight;
        this.weight = weight;
        this.maxWait = maxWait;
        this.maxInFlight = maxInFlight;
    }

    /** The batches of whatever this subscriber is subscribed to; call {@link #done(int)} as each completes. */
    public Multi<List<T>> batches() {
        return batches.onCancellation().invoke(() -> upstream.cancel());
    }

    /** One batch of {@code count} items has been processed: its credit returns, and a waiting partial batch goes. */
    public void done(int count) {
        synchronized (this) {
            inWork--;
            if (inWork == 0 && due && !current.isEmpty()) {
                emit();
            }
        }
        if (count > 0) {
            upstream.request(count);
        }
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        this.upstream = subscription;
        subscription.request(maxInFlight);
    }

    // Emissions happen under the lock: the receiver's thread and the timer's must not signal concurrently.
    @Override
    public synchronized void onItem(T item) {
        current.add(item);
        currentWeight += weight.applyAsInt(item);
        if (current.size() >= maxSize || currentWeight >= maxWeight) {
            emit();
        } else if (current.size() == 1) {
            pendingFlush = timer.schedule(this::waited, maxWait.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    /** The partial batch has waited long enough: it goes now, or when the batch in work is done. */
    private synchronized void waited() {
        if (current.isEmpty()) {
            return;
        }
        if (inWork == 0) {
            emit();
        } else {
            due = true;
        }
    }

    private void emit() {
        if (pendingFlush != null) {
            pendingFlush.cancel(false);
            pendingFlush = null;
        }
        due = false;
        inWork++;
        List<T> taken = current;
        current = new ArrayList<>();
        currentWeight = 0;
        batches.onNext(taken);
    }

    @Override
    public synchronized void onFailure(Throwable failure) {
        if (!current.isEmpty()) {
            emit();
        }
        batches.onError(failure);
    }

    @Override
    public synchronized void onCompletion() {
        if (!current.isEmpty()) {
            emit();
        }
        batches.onComplete();
    }
}

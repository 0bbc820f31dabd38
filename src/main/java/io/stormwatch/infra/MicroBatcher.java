package io.stormwatch.infra;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.mutiny.operators.multi.processors.UnicastProcessor;
import io.smallrye.mutiny.subscription.MultiSubscriber;

/**
 * Groups a stream into batches of at most {@code maxSize}, flushing a partial batch after {@code maxWait}.
 * <p>
 * Mutiny's {@code group().intoLists().of(size, duration)} fails the stream with a BackPressureFailure when its
 * timer fires while downstream is busy, which is exactly the case under load. Here demand to upstream is credit:
 * at most {@code maxInFlight} items are taken before the caller reports them {@link #done(int) done}, so the
 * AMQP receiver stops granting credit when the database is slow, and nothing is buffered without bound.
 */
public final class MicroBatcher<T> implements MultiSubscriber<T> {

    private final int maxSize;
    private final Duration maxWait;
    private final int maxInFlight;
    private final ScheduledExecutorService timer = Infrastructure.getDefaultWorkerPool();
    private final UnicastProcessor<List<T>> batches = UnicastProcessor.create();
    private Flow.Subscription upstream;
    private List<T> current = new ArrayList<>();
    private ScheduledFuture<?> pendingFlush;

    public MicroBatcher(int maxSize, Duration maxWait, int maxInFlight) {
        if (maxSize < 1 || maxInFlight < maxSize) {
            throw new IllegalArgumentException("need 1 <= maxSize <= maxInFlight");
        }
        this.maxSize = maxSize;
        this.maxWait = maxWait;
        this.maxInFlight = maxInFlight;
    }

    /** The batches of whatever this subscriber is subscribed to; call {@link #done(int)} as each completes. */
    public Multi<List<T>> batches() {
        return batches.onCancellation().invoke(() -> upstream.cancel());
    }

    /** Returns credit for {@code count} items whose processing has finished. */
    public void done(int count) {
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
        if (current.size() >= maxSize) {
            batches.onNext(takeCurrent());
        } else if (current.size() == 1) {
            pendingFlush = timer.schedule(this::flushPartial, maxWait.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    private synchronized void flushPartial() {
        if (!current.isEmpty()) {
            batches.onNext(takeCurrent());
        }
    }

    private List<T> takeCurrent() {
        if (pendingFlush != null) {
            pendingFlush.cancel(false);
            pendingFlush = null;
        }
        List<T> taken = current;
        current = new ArrayList<>();
        return taken;
    }

    @Override
    public synchronized void onFailure(Throwable failure) {
        flushPartial();
        batches.onError(failure);
    }

    @Override
    public synchronized void onCompletion() {
        flushPartial();
        batches.onComplete();
    }
}

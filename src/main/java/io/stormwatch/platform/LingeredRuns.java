package io.stormwatch.platform;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Runs a piece of work (a subscription's catch-up, a publication cycle) when asked, one run at a time and at most one
 * start per linger: a request while a run is going returns at once and makes that run go round again, so under load
 * one run covers what several requests (the appends of several command batches) asked for.
 */
public final class LingeredRuns {

    private final Linger linger;
    private final Supplier<Uni<Void>> work;
    private final Function<Duration, Uni<Void>> pause;
    /** Runs asked for: 0 when idle; a run goes round again while more were asked for during it. */
    private final AtomicInteger requested = new AtomicInteger();

    /** @param pause a Uni that completes after the given time (a Vert.x timer, or Mutiny's delay) */
    public LingeredRuns(Duration linger, Supplier<Uni<Void>> work, Function<Duration, Uni<Void>> pause) {
        this.linger = new Linger(linger);
        this.work = work;
        this.pause = pause;
    }

    /** Runs the work, or has the run going go round again; a failed run ends, and the next request starts anew. */
    public Uni<Void> request() {
        if (requested.getAndIncrement() > 0) {
            return Uni.createFrom().voidItem();
        }
        return run();
    }

    /** Makes the run going go round once more (it found more work than one round takes). */
    public void again() {
        requested.incrementAndGet();
    }

    /**
     * Rounds until one ends with no request made during it. A loop, not a chain of rounds: a chain would keep every
     * round reachable until the last, each with what it read (under a backlog, every page of it: the heap filled).
     */
    private Uni<Void> run() {
        return Multi.createBy().repeating().uni(this::round).until(finished -> finished)
                .collect().last().replaceWithVoid()
                .onFailure().invoke(() -> requested.set(0));
    }

    /** One round, started no sooner than the linger after the last one; true when nothing was asked for meanwhile. */
    private Uni<Boolean> round() {
        long waitMillis = linger.waitMillis();
        Uni<Void> start = waitMillis > 0 ? pause.apply(Duration.ofMillis(waitMillis)) : Uni.createFrom().voidItem();
        return start.chain(() -> {
            linger.started();
            int asked = requested.get();
            return work.get().map(ignored -> requested.compareAndSet(asked, 0));
        });
    }
}

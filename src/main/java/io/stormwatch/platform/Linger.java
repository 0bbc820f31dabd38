package io.stormwatch.platform;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Spaces the starts of a repeated piece of work (a handler's run, a publication cycle) at least {@code linger}
 * apart: asked for more often than that, as appends under load ask, each start covers what several asks wanted;
 * asked for less often, it starts at once.
 */
public final class Linger {

    private final long lingerNanos;
    /** When the work last started (nanoTime). */
    private volatile long lastStart;

    public Linger(Duration linger) {
        this.lingerNanos = linger.toNanos();
        this.lastStart = System.nanoTime() - lingerNanos;
    }

    /** How long to wait before starting now; 0 to start at once. */
    public long waitMillis() {
        return Math.max(0, TimeUnit.NANOSECONDS.toMillis(lingerNanos - (System.nanoTime() - lastStart)));
    }

    /** The work starts. */
    public void started() {
        lastStart = System.nanoTime();
    }
}

package io.stormwatch.publication;

import java.time.Duration;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.jboss.logging.Logger;

/**
 * Where one publication stands, as its log lines and its health say it: sending or stopped (and why), a line when
 * it stops and when it resumes rather than one per retry, and a backlog line at most every 10 s.
 */
final class PublicationStatus {

    private static final Logger LOG = Logger.getLogger(PublicationStatus.class);
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);

    private final String name;
    private final String address;
    private final Duration retryEvery;
    private volatile boolean sending = true;
    private volatile String lastFailure = "none";
    /** The failure of the last cycle, null after one that went through. */
    private volatile String cycleFailure;
    private long lastProgress;

    PublicationStatus(String name, String address, Duration retryEvery) {
        this.name = name;
        this.address = address;
        this.retryEvery = retryEvery;
    }

    void resumed(long position) {
        if (!sending) {
            LOG.infof("Publishing to %s resumed at position %d", address, position);
        }
        sending = true;
    }

    void stopped(long position, Throwable failure) {
        if (sending) {
            LOG.warnf("Publishing to %s stopped at position %d (%s); retrying every %d ms", address, position,
                    failure.toString(), retryEvery.toMillis());
        }
        sending = false;
        lastFailure = failure.toString();
    }

    void cycleSucceeded() {
        cycleFailure = null;
    }

    /** A cycle failing is a warning (a failed send has logged its own); the same failure again is not worth one. */
    void cycleFailed(Throwable failure) {
        String previous = cycleFailure;
        lastFailure = cycleFailure = failure.toString();
        if (cycleFailure.equals(previous) || !sending) {
            LOG.debugf("publication cycle failed: %s", cycleFailure);
        } else {
            LOG.warnf("publication cycle of %s failed (retried on every poll): %s", name, cycleFailure);
        }
    }

    /** Whether a backlog line is due (at most one every 10 s). */
    boolean progressDue() {
        long now = System.nanoTime();
        if (now - lastProgress < PROGRESS_EVERY.toNanos()) {
            return false;
        }
        lastProgress = now;
        return true;
    }

    void backlog(long reached, long head) {
        LOG.infof("Publishing a backlog to %s: at position %d of %d", address, reached, head);
    }

    /** Ready when standing by, or when the last page went out and the link is up. */
    HealthCheckResponse health(boolean leader, boolean attached, long position) {
        boolean up = !leader || (sending && attached);
        return HealthCheckResponse.named("publication (" + address + ")")
                .status(up)
                .withData("role", leader ? "active" : "standby")
                .withData("position", position)
                .withData("lastFailure", up ? "none" : lastFailure)
                .build();
    }
}

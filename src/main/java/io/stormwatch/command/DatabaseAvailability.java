package io.stormwatch.command;

import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeoutException;

import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.netty.channel.ConnectTimeoutException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.VertxException;
import io.vertx.core.impl.NoStackTraceThrowable;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgException;

/**
 * Tells a failed transaction that was the database's fault (unreachable, restarting, out of connections, a
 * serialization failure or a deadlock) from one that was the command's, and waits for the database to come back. A
 * command that failed through no fault of its own must not be counted against it: counted, it burns its delivery
 * attempts in seconds during an outage and ends in the broker's dead-letter address, unexecuted and unanswered.
 */
@Singleton
public class DatabaseAvailability {

    /** Whose fault a failed transaction was. */
    public enum Blame {
        /** The database does not answer at all: hand the commands back and wait for it. */
        DATABASE_DOWN,
        /** The database answers, but the transaction failed for a reason that passes (a deadlock, a timeout). */
        TRANSIENT,
        /** Something about these commands: retried one at a time, counted, dead-lettered after the broker's limit. */
        COMMANDS
    }

    private static final Logger LOG = Logger.getLogger(DatabaseAvailability.class);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration FIRST_PAUSE = Duration.ofMillis(250);
    private static final Duration MAX_PAUSE = Duration.ofSeconds(2);
    /** SQLSTATE classes and codes of failures that are not the statement's: connection, resources, shutdown, conflict. */
    private static final Set<String> TRANSIENT_CLASSES = Set.of("08", "53", "57", "58", "40", "55", "HV");

    private final Pool pool;
    private volatile long downSince;

    public DatabaseAvailability(Pool pool) {
        this.pool = pool;
    }

    /** Asks the database (a round trip) when the failure alone cannot tell. */
    public Uni<Blame> blame(Throwable failure) {
        return probe().map(reachable -> {
            if (!reachable) {
                return Blame.DATABASE_DOWN;
            }
            return transientFailure(failure) ? Blame.TRANSIENT : Blame.COMMANDS;
        });
    }

    /** Completes when the database answers again, probing with a pause that grows to 2 s; logs the outage once. */
    public Uni<Void> awaitReachable(Throwable cause) {
        if (downSince == 0) {
            downSince = System.nanoTime();
            LOG.warnf("Database unreachable (%s): commands are handed back to the broker uncounted and no more are"
                    + " taken until it answers", cause.toString());
        }
        return Uni.createFrom().deferred(() -> probe().chain(up -> up ? Uni.createFrom().voidItem()
                        : Uni.createFrom().failure(new IllegalStateException("database unreachable"))))
                .onFailure().retry().withBackOff(FIRST_PAUSE, MAX_PAUSE).indefinitely()
                .invoke(() -> {
                    if (downSince != 0) {
                        LOG.infof("Database reachable again after %d ms: taking commands again",
                                Duration.ofNanos(System.nanoTime() - downSince).toMillis());
                        downSince = 0;
                    }
                });
    }

    /**
     * On a connection of its own rather than pool.query: the pool's one-shot query leaves a timer behind when acquiring
     * fails (vertx-sql-client #1706), and the probe runs exactly while acquiring fails.
     */
    private Uni<Boolean> probe() {
        return pool.withConnection(connection -> connection.query("SELECT 1").execute())
                .ifNoItem().after(PROBE_TIMEOUT).fail()
                .map(rows -> true)
                .onFailure().recoverWithItem(false);
    }

    /**
     * A failure that would likely not happen again: one the database reports as a connection, resource, shutdown,
     * conflict or lock problem, or one of the client's own (a dropped connection, no connection from the pool in
     * time). A statement the database rejects for its content (class 22 data, 23 integrity, 42 syntax) is not.
     */
    static boolean transientFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof PgException pg) {
                String state = pg.getSqlState();
                return state != null && state.length() == 5 && TRANSIENT_CLASSES.contains(state.substring(0, 2));
            }
        }
        // Not the database's answer to a statement: the connection, the pool or a timeout on the way.
        return failure instanceof IOException || failure instanceof TimeoutException
                || failure instanceof VertxException || failure instanceof NoStackTraceThrowable
                || failure instanceof ConnectTimeoutException || failure.getCause() instanceof IOException;
    }
}

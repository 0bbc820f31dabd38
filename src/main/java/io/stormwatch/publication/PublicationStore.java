package io.stormwatch.publication;

import java.time.Duration;
import java.util.Optional;

import jakarta.inject.Singleton;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The publication table: per published stream, the last position the broker acknowledged and the lease that
 * makes one replica at a time its publisher. The position only moves forward, and only for the lease holder, so a
 * replica that lost its lease while sending cannot move it (it may have re-sent a few events; that is allowed).
 */
@Singleton
public class PublicationStore {

    private static final String ACQUIRE = """
            UPDATE publication SET owner = $2, lease_expires_at = now() + make_interval(secs => $3)
            WHERE name = $1 AND (owner IS NULL OR owner = $2 OR lease_expires_at < now())
            RETURNING position""";

    /**
     * Commits without waiting for the WAL flush (set for this statement's transaction only): a database crash can
     * only take the last advances, and the events after the position that is left are published again, which
     * at-least-once allows. The lease ({@link #ACQUIRE}) still waits for the flush.
     */
    private static final String ADVANCE = """
            UPDATE publication SET position = $3, updated_at = now()
            WHERE name = $1 AND owner = $2 AND position < $3
            RETURNING set_config('synchronous_commit', 'off', true)""";

    /**
     * Whether the lease is still this owner's, without renewing it: a read, so no commit waits for a WAL flush. The
     * publisher renews only every third of the lease's time (see {@link Publisher}) and checks it on every other
     * cycle, so a lease taken over behind its back still stops it before its next page.
     */
    private static final String HOLDS = """
            SELECT position FROM publication WHERE name = $1 AND owner = $2 AND lease_expires_at > now()""";

    private static final String RELEASE = """
            UPDATE publication SET owner = NULL, lease_expires_at = NULL WHERE name = $1 AND owner = $2""";

    /** The state of one publication, for health and the topology. */
    public record Status(long position, String owner) {
    }

    private final Pool pool;

    public PublicationStore(Pool pool) {
        this.pool = pool;
    }

    /** Takes or renews the lease; gives the last published position if this owner holds it now. */
    public Uni<Optional<Long>> acquire(String name, String owner, Duration ttl) {
        return pool.preparedQuery(ACQUIRE).execute(Tuple.of(name, owner, ttl.toMillis() / 1000.0))
                .map(PublicationStore::position);
    }

    private static Optional<Long> position(RowSet<Row> rows) {
        RowIterator<Row> it = rows.iterator();
        return it.hasNext() ? Optional.of(it.next().getLong(0)) : Optional.empty();
    }

    /** Gives the last published position if this owner holds an unexpired lease, without renewing it. */
    public Uni<Optional<Long>> holds(String name, String owner) {
        return pool.preparedQuery(HOLDS).execute(Tuple.of(name, owner)).map(PublicationStore::position);
    }

    public Uni<Boolean> advance(String name, String owner, long position) {
        return pool.preparedQuery(ADVANCE).execute(Tuple.of(name, owner, position)).map(rows -> rows.rowCount() == 1);
    }

    public Uni<Void> release(String name, String owner) {
        return pool.preparedQuery(RELEASE).execute(Tuple.of(name, owner)).replaceWithVoid();
    }

    public Uni<Status> status(String name) {
        return pool.preparedQuery("SELECT position, owner FROM publication WHERE name = $1").execute(Tuple.of(name))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    return new Status(row.getLong(0), row.getString(1));
                });
    }
}

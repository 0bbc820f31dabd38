package io.stormwatch.projection;

import java.util.List;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * A run's rows in {@code projection_rebuild}: its position, once a second, which keeps the claims alive (a
 * synchronous commit after every page would wait for the flush of the page's WAL); a progress line every 10 s; and
 * how it ended.
 */
final class RebuildProgress {

    private static final Logger LOG = Logger.getLogger(ProjectionRebuilds.class);
    private static final long LOG_EVERY_NANOS = 10_000_000_000L;
    private static final long RECORD_EVERY_NANOS = 1_000_000_000L;
    private static final String PROGRESS = """
            UPDATE projection_rebuild SET position = $2, updated_at = now()
            WHERE name = $1 AND state = 'running' AND started_at = $3""";
    private static final String FINISH = """
            UPDATE projection_rebuild SET state = $2, position = $3, error = $4, updated_at = now(), finished_at = now()
            WHERE name = $1 AND started_at = $5""";

    private final Pool pool;
    private final List<RebuildPart> parts;
    private final String names;
    private final long target;
    private long lastReport = System.nanoTime();
    private long lastRecord = System.nanoTime();

    RebuildProgress(Pool pool, List<RebuildPart> parts, String names, long target) {
        this.pool = pool;
        this.parts = parts;
        this.names = names;
        this.target = target;
    }

    Uni<Void> reached(long position) {
        long now = System.nanoTime();
        if (now - lastReport > LOG_EVERY_NANOS) {
            lastReport = now;
            LOG.infof("rebuild of %s: %d of %d events", names, position, target);
        }
        if (now - lastRecord < RECORD_EVERY_NANOS) {
            return Uni.createFrom().voidItem();
        }
        lastRecord = now;
        return pool.preparedQuery(PROGRESS).executeBatch(parts.stream()
                .map(part -> Tuple.of(part.name(), position, part.claim().startedAt())).toList())
                .replaceWithVoid();
    }

    Uni<Void> finish(String state, long position, String error) {
        return pool.preparedQuery(FINISH).executeBatch(parts.stream()
                .map(part -> Tuple.of(part.name(), state, position, error, part.claim().startedAt())).toList())
                .replaceWithVoid();
    }
}

package io.stormwatch.projection;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.inject.Singleton;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.stormwatch.eventstore.EventLog;
import io.stormwatch.platform.StormwatchConfig;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Rebuilds a projection from the event store beside its live tables, so that queries keep being served from the
 * live ones meanwhile:
 * <ol>
 * <li>the projection's tables are created empty, with the same columns, constraints and indexes, in a schema of
 * their own ({@code rebuild_<name>});</li>
 * <li>the projection's own handler applies the whole log to them, a page of positions per transaction, with the
 * rebuild schema first on the search path (its SQL names no schema); the station and observation views do it in
 * the database, reading each page's events in their statements ({@link EventHandler#applyInDatabase});</li>
 * <li>when it is near the head, one transaction locks the live checkpoint (the live subscription waits), applies
 * the rest, replaces the live tables with the rebuilt ones and moves the checkpoint to where the rebuild ended.</li>
 * </ol>
 * The {@code projection_rebuild} row is the claim (one rebuild of a projection at a time, across replicas) and the
 * progress report; a rebuild whose owner stopped updating it for a minute can be started again. A rebuild that
 * fails or dies leaves the live tables as they were. Several projections can be rebuilt in one run
 * ({@link RebuildRun}), side by side.
 */
@Singleton
public class ProjectionRebuilds {

    public record Status(String projection, String state, long position, long target, OffsetDateTime startedAt,
            OffsetDateTime updatedAt, OffsetDateTime finishedAt, String error) {
    }

    /** What a request to rebuild found: for a rebuild of several projections, one status each. */
    public sealed interface Start {
        record Started(List<Status> statuses) implements Start {
        }

        record AlreadyRunning(List<Status> statuses) implements Start {
        }

        record NotRebuildable(String projection, String reason, boolean exists) implements Start {
        }
    }

    private static final String COLUMNS = "name, state, position, target, started_at, updated_at, finished_at, error";
    private static final String CLAIM = """
            INSERT INTO projection_rebuild (name, state, position, target, started_at, updated_at)
            VALUES ($1, 'running', 0, $2, now(), now())
            ON CONFLICT (name) DO UPDATE SET state = 'running', position = 0, target = EXCLUDED.target,
                started_at = now(), updated_at = now(), finished_at = NULL, error = NULL
            WHERE projection_rebuild.state <> 'running' OR projection_rebuild.updated_at < now() - interval '1 minute'
            RETURNING\s""" + COLUMNS;

    private final Subscriptions subscriptions;
    private final Pool pool;
    private final EventLog log;
    /** Positions of the log per transaction of a rebuild. */
    private final int pageSize;

    public ProjectionRebuilds(Subscriptions subscriptions, Pool pool, EventLog log, StormwatchConfig config) {
        this.subscriptions = subscriptions;
        this.pool = pool;
        this.log = log;
        this.pageSize = config.projection().rebuildPageSize();
    }

    /** The names of the projections that can be rebuilt. */
    public List<String> rebuildable() {
        return subscriptions.handlers().stream().filter(h -> !h.viewTables().isEmpty())
                .map(EventHandler::name).toList();
    }

    /** The last rebuild of a projection, if there was one. */
    public Uni<Optional<Status>> status(String name) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM projection_rebuild WHERE name = $1")
                .execute(Tuple.of(name))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(read(rows.iterator().next())));
    }

    /** Claims and starts a rebuild, which goes on in the background; {@link #status} follows it. */
    public Uni<Start> start(String name) {
        EventHandler handler = subscriptions.handlers().stream()
                .filter(h -> h.name().equals(name)).findFirst().orElse(null);
        if (handler == null || handler.viewTables().isEmpty()) {
            String reason = handler == null ? "there is no projection named '" + name + "'"
                    : name + " is not a view: its state decides the events it appends, so it is never rebuilt";
            return Uni.createFrom().item(new Start.NotRebuildable(name, reason, handler != null));
        }
        return start(List.of(handler));
    }

    /**
     * Rebuilds every view in one pass over the log: each page is applied by all of them side by side, each in its own
     * transaction, and the live tables of all are replaced in one. Each keeps its own status.
     */
    public Uni<Start> startAll() {
        return start(subscriptions.handlers().stream().filter(h -> !h.viewTables().isEmpty())
                .toList());
    }

    /** Claims every one of {@code handlers} in one transaction, or none of them when one is being rebuilt. */
    private Uni<Start> start(List<EventHandler> handlers) {
        return log.head().chain(head -> pool.withTransaction(tx -> claim(tx, handlers, head, new ArrayList<>())))
                .map(Optional::of).onFailure(AlreadyClaimed.class).recoverWithItem(Optional.empty())
                .chain(claimed -> {
                    if (claimed.isPresent()) {
                        new RebuildRun(handlers, claimed.get(), pool, log, pageSize).run();
                        return Uni.createFrom().item((Start) new Start.Started(claimed.get()));
                    }
                    return Multi.createFrom().iterable(handlers)
                            .onItem().transformToUniAndConcatenate(h -> status(h.name()))
                            .filter(Optional::isPresent).map(Optional::get)
                            .filter(status -> "running".equals(status.state()))
                            .collect().asList().map(running -> (Start) new Start.AlreadyRunning(running));
                });
    }

    /** Fails with {@link AlreadyClaimed}, rolling the transaction back, when one of them is running already. */
    private Uni<List<Status>> claim(SqlConnection tx, List<EventHandler> handlers, long head, List<Status> claimed) {
        if (claimed.size() == handlers.size()) {
            return Uni.createFrom().item(claimed);
        }
        return tx.preparedQuery(CLAIM).execute(Tuple.of(handlers.get(claimed.size()).name(), head)).chain(rows -> {
            if (rows.size() == 0) {
                return Uni.createFrom().failure(new AlreadyClaimed());
            }
            claimed.add(read(rows.iterator().next()));
            return claim(tx, handlers, head, claimed);
        });
    }

    /** Rolls back the claims of a request that found one of its projections already running. */
    private static final class AlreadyClaimed extends RuntimeException {
        AlreadyClaimed() {
            super("a rebuild is running", null, false, false);
        }
    }

    private static Status read(Row row) {
        return new Status(row.getString(0), row.getString(1), row.getLong(2), row.getLong(3),
                row.getOffsetDateTime(4), row.getOffsetDateTime(5), row.getOffsetDateTime(6), row.getString(7));
    }
}

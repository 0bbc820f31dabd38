package io.stormwatch.projection;

import static io.stormwatch.projection.RebuildIndexes.quoted;
import static io.stormwatch.projection.RebuildIndexes.sequentially;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.stormwatch.eventstore.EventLog;
import io.stormwatch.projection.ProjectionRebuilds.Status;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * One run, over one or several projections at once: the log is taken in pages of positions, and each projection
 * applies a page in its own transaction, side by side. A handler that {@link EventHandler#appliesInDatabase applies
 * in the database} reads the page's events there, in its statements, and nothing goes through the service but the
 * positions; any other reads its own types of the page and applies them as its live subscription would.
 * Identifiers in its DDL come from the handlers' code, never from a request.
 */
final class RebuildRun {

    private static final Logger LOG = Logger.getLogger(ProjectionRebuilds.class);
    private static final long LOG_EVERY_NANOS = 10_000_000_000L;
    private static final long RECORD_EVERY_NANOS = 1_000_000_000L;
    private static final String PROGRESS = """
            UPDATE projection_rebuild SET position = $2, updated_at = now()
            WHERE name = $1 AND state = 'running' AND started_at = $3""";
    private static final String FINISH = """
            UPDATE projection_rebuild SET state = $2, position = $3, error = $4, updated_at = now(), finished_at = now()
            WHERE name = $1 AND started_at = $5""";
    private static final String LOCK_LIVE =
            "SELECT position FROM projection_checkpoint WHERE name = ANY($1) ORDER BY name FOR UPDATE";
    private static final String MOVE_LIVE = "UPDATE projection_checkpoint SET position = $2, updated_at = now() WHERE name = $1";
    /** One projection of a run: its handler, its claim, and the schema its tables are rebuilt in. */
    private record Part(EventHandler handler, Status claim, String schema) {
        String name() {
            return handler.name();
        }
    }

    private final Pool pool;
    private final EventLog log;
    /** Positions of the log (events of any type) per transaction. */
    private final int pageSize;
    private final List<Part> parts;
    private final String names;
    private final long target;
    private String live;
    private long position;
    private long head;
    private long lastReport = System.nanoTime();
    private long lastRecord = System.nanoTime();
    private final RebuildIndexes indexes = new RebuildIndexes();

    RebuildRun(List<EventHandler> handlers, List<Status> claims, Pool pool, EventLog log, int pageSize) {
        this.pool = pool;
        this.log = log;
        this.pageSize = pageSize;
        List<Part> list = new ArrayList<>();
        for (int i = 0; i < handlers.size(); i++) {
            EventHandler handler = handlers.get(i);
            list.add(new Part(handler, claims.get(i), "rebuild_" + handler.name().replace('-', '_')));
        }
        this.parts = List.copyOf(list);
        this.names = String.join(", ", handlers.stream().map(EventHandler::name).toList());
        this.target = claims.getFirst().target();
    }

    void run() {
        LOG.infof("rebuild of %s: started, %d events in the store", names, target);
        prepare().chain(this::copyUntilNearHead).chain(this::buildDeferredIndexes).chain(this::switchOver)
                .call(() -> finish("done", null))
                .subscribe().with(
                        ignored -> LOG.infof("rebuild of %s: done at position %d; the live tables are the"
                                + " rebuilt ones", names, position),
                        failure -> {
                            LOG.errorf("rebuild of %s failed at position %d, the live tables are unchanged: %s",
                                    names, position, failure.toString());
                            Multi.createFrom().iterable(parts)
                                    .onItem().transformToUniAndConcatenate(part -> pool.query(
                                            "DROP SCHEMA IF EXISTS " + quoted(part.schema()) + " CASCADE")
                                            .execute().onFailure().recoverWithNull().replaceWithVoid())
                                    .collect().last()
                                    .chain(() -> finish("failed", failure.toString()))
                                    .subscribe().with(x -> {
                                    }, e -> LOG.warnf("rebuild of %s: could not record the failure: %s",
                                            names, e.toString()));
                        });
    }

    private Uni<Void> prepare() {
        List<String> statements = new ArrayList<>();
        return pool.withTransaction(tx -> tx.query("SELECT current_schema()").execute()
                .invoke(rows -> {
                    live = rows.iterator().next().getString(0);
                    // A schema that is not there is the normal case: no NOTICE for it (the client logs one as a
                    // warning).
                    statements.add("SET LOCAL client_min_messages = warning");
                    for (Part part : parts) {
                        String schema = quoted(part.schema());
                        statements.add("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
                        statements.add("CREATE SCHEMA " + schema);
                        part.handler().viewTables().forEach(table -> statements.add("CREATE TABLE " + schema
                                + "." + quoted(table) + " (LIKE " + quoted(live) + "." + quoted(table)
                                + " INCLUDING ALL)"));
                    }
                })
                .chain(() -> sequentially(statements, tx))
                .chain(() -> indexes.dropSecondary(tx, parts.stream().map(Part::schema).toList())));
    }

    /**
     * The indexes dropped by {@link #prepare}, built over the rebuilt rows at once (RebuildIndexes says why). The
     * pages left for the switch-over keep them up to date as they are written.
     */
    private Uni<Void> buildDeferredIndexes() {
        if (indexes.deferredCount() == 0) {
            return Uni.createFrom().voidItem();
        }
        LOG.infof("rebuild of %s: building the secondary indexes (%d) at position %d", names, indexes.deferredCount(),
                position);
        return indexes.buildDeferred(pool);
    }

    /**
     * Pages in their own transactions until the head is less than a page ahead: the rest is left to the
     * switch-over. Positions are contiguous and committed in order, so a page is a range of them up to a committed
     * head, whatever types it holds. A loop, not a chain of pages: a chain would keep every page reachable.
     */
    private Uni<Void> copyUntilNearHead() {
        return Multi.createBy().repeating().uni(this::nextPage).whilst(more -> more)
                .onItem().ignoreAsUni();
    }

    private Uni<Boolean> nextPage() {
        return log.head().chain(now -> {
            if (now - position <= pageSize) {
                return Uni.createFrom().item(false);
            }
            long after = position;
            long upTo = after + pageSize;
            // The projections' tables are apart: each applies the page in its own transaction, side by side. None
            // waits for the WAL flush: the switch-over's commit, which does, makes every page before it durable too
            // (a crash before it leaves the live tables as they were).
            return Uni.join().all(parts.stream().map(part -> pool.withTransaction(tx -> onRebuildTables(tx)
                            .chain(() -> tx.query("SET LOCAL synchronous_commit = off").execute())
                            .chain(() -> apply(tx, part, after, upTo)))).toList()).andFailFast()
                    .invoke(() -> position = upTo)
                    .replaceWith(true);
        }).call(this::progress);
    }

    private Uni<Void> switchOver() {
        return pool.withTransaction(tx -> tx.query("SET LOCAL lock_timeout = '30s'").execute()
                // In the order of their names, as the live subscription locks them (Subscription.LOCK).
                .chain(() -> tx.preparedQuery(LOCK_LIVE).execute(Tuple.of((Object) parts.stream().map(Part::name)
                        .toArray(String[]::new))))
                // Every position up to the head is committed (appends are contiguous and in order): the rebuild
                // covers them all, and the live subscriptions go on after the head.
                .chain(() -> tx.query("SELECT COALESCE(MAX(position), 0) FROM event").execute())
                .invoke(rows -> head = rows.iterator().next().getLong(0))
                .chain(() -> onRebuildTables(tx))
                .chain(() -> rest(tx))
                .chain(() -> tx.query("SET LOCAL search_path TO " + quoted(live)).execute())
                .invoke(() -> position = Math.max(position, head))
                .chain(() -> eachPart(part -> replaceLive(tx, part)))
                .replaceWithVoid());
    }

    /** The live tables of one projection become its rebuilt ones, and its checkpoint moves to the rebuild's. */
    private Uni<Void> replaceLive(SqlConnection tx, Part part) {
        List<String> tables = part.handler().viewTables();
        return RebuildIndexes.byDefinition(tx, tables, live)
                .chain(liveIndexes -> sequentially(tables.stream()
                                .flatMap(table -> List.of("DROP TABLE " + quoted(live) + "." + quoted(table),
                                        "ALTER TABLE " + quoted(part.schema()) + "." + quoted(table)
                                                + " SET SCHEMA " + quoted(live)).stream())
                                .toList(), tx)
                        .chain(() -> RebuildIndexes.rename(tx, tables, live, liveIndexes)))
                .chain(() -> tx.preparedQuery(MOVE_LIVE).execute(Tuple.of(part.name(), position)))
                .chain(() -> tx.query("DROP SCHEMA " + quoted(part.schema())).execute())
                .replaceWithVoid();
    }

    /** The pages left up to the head, under the lock of the switch-over. */
    private Uni<Void> rest(SqlConnection tx) {
        if (position >= head) {
            return Uni.createFrom().voidItem();
        }
        long after = position;
        long upTo = Math.min(head, after + pageSize);
        return eachPart(part -> apply(tx, part, after, upTo)).invoke(() -> position = upTo).chain(() -> rest(tx));
    }

    /** The rebuild schemas first on the search path: the handlers' SQL names no schema. */
    private Uni<Void> onRebuildTables(SqlConnection tx) {
        String schemas = String.join(", ", parts.stream().map(part -> quoted(part.schema())).toList());
        return tx.query("SET LOCAL search_path TO " + schemas + ", " + quoted(live)).execute().replaceWithVoid();
    }

    /** Applies the events of the projection's own types at positions {@code (after, upTo]}. */
    private Uni<Void> apply(SqlConnection tx, Part part, long after, long upTo) {
        EventHandler handler = part.handler();
        if (handler.appliesInDatabase()) {
            return handler.applyInDatabase(tx, after, upTo);
        }
        return log.between(tx, after, upTo, handler.eventTypes())
                .chain(events -> events.isEmpty() ? Uni.createFrom().voidItem() : handler.apply(tx, events));
    }

    /**
     * Keeps the claims alive and their positions current, once a second (a synchronous commit after every page
     * waited for the flush of the page's WAL), and logs a progress line every 10 s.
     */
    private Uni<Void> progress() {
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

    private Uni<Void> finish(String state, String error) {
        return pool.preparedQuery(FINISH).executeBatch(parts.stream()
                .map(part -> Tuple.of(part.name(), state, position, error, part.claim().startedAt())).toList())
                .replaceWithVoid();
    }

    /** Runs {@code work} for each projection, one after the other. */
    private Uni<Void> eachPart(Function<Part, Uni<?>> work) {
        return Multi.createFrom().iterable(parts).onItem().transformToUniAndConcatenate(work)
                .collect().last().replaceWithVoid();
    }

}

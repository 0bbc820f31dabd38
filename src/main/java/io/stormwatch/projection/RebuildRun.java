package io.stormwatch.projection;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.stormwatch.eventstore.EventCodec;
import io.stormwatch.eventstore.EventFilter;
import io.stormwatch.eventstore.EventLog;
import io.stormwatch.eventstore.RecordedEvent;
import io.stormwatch.projection.ProjectionRebuilds.Status;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * One run, over one or several projections at once: a page is read and decoded once, and each of them applies
 * it in its own transaction, side by side. Identifiers in its DDL come from the handlers' code, never from a
 * request.
 */
final class RebuildRun {

    private static final Logger LOG = Logger.getLogger(ProjectionRebuilds.class);
    private static final long PROGRESS_EVERY_NANOS = 10_000_000_000L;
    private static final String PROGRESS = """
            UPDATE projection_rebuild SET position = $2, updated_at = now()
            WHERE name = $1 AND state = 'running' AND started_at = $3""";
    private static final String FINISH = """
            UPDATE projection_rebuild SET state = $2, position = $3, error = $4, updated_at = now(), finished_at = now()
            WHERE name = $1 AND started_at = $5""";
    private static final String LOCK_LIVE = "SELECT position FROM projection_checkpoint WHERE name = $1 FOR UPDATE";
    private static final String MOVE_LIVE = "UPDATE projection_checkpoint SET position = $2, updated_at = now() WHERE name = $1";
    private static final String INDEXES = "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = $1 AND tablename = ANY($2)";

    /** One projection of a run: its handler, its claim, and the schema its tables are rebuilt in. */
    private record Part(EventHandler handler, Status claim, String schema) {
        String name() {
            return handler.name();
        }
    }

    private final Pool pool;
    private final EventLog log;
    private final EventCodec codec;
    /** Events per transaction. */
    private final int pageSize;
    private final List<Part> parts;
    private final String names;
    private final EventFilter types;
    private final long target;
    private String live;
    private long position;
    private long head;
    private long lastReport = System.nanoTime();
    /** The page after {@link #position}, read ahead on another connection while the one before is applied. */
    private CompletableFuture<List<RecordedEvent>> readAhead;

    RebuildRun(List<EventHandler> handlers, List<Status> claims, Pool pool, EventLog log, EventCodec codec,
            int pageSize) {
        this.pool = pool;
        this.log = log;
        this.codec = codec;
        this.pageSize = pageSize;
        List<Part> list = new ArrayList<>();
        for (int i = 0; i < handlers.size(); i++) {
            EventHandler handler = handlers.get(i);
            list.add(new Part(handler, claims.get(i), "rebuild_" + handler.name().replace('-', '_')));
        }
        this.parts = List.copyOf(list);
        this.names = String.join(", ", handlers.stream().map(EventHandler::name).toList());
        this.types = new EventFilter(handlers.stream().flatMap(h -> h.eventTypes().stream()).distinct().toList(),
                null);
        this.target = claims.getFirst().target();
    }

    void run() {
        LOG.infof("rebuild of %s: started, %d events in the store", names, target);
        prepare().chain(this::copyUntilNearHead).chain(this::switchOver)
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
                .chain(() -> sequentially(statements, tx)));
    }

    /**
     * Pages in their own transactions until a page is not full: the rest is left to the switch-over. Each page
     * is read outside the transaction (the log up to a committed position never changes), the next one while
     * this one is applied. A loop, not a chain of pages: a chain would keep every page it read reachable.
     */
    private Uni<Void> copyUntilNearHead() {
        return Multi.createBy().repeating().uni(this::nextPage).whilst(full -> full)
                .onItem().ignoreAsUni();
    }

    private Uni<Boolean> nextPage() {
        CompletableFuture<List<RecordedEvent>> ahead = readAhead;
        readAhead = null;
        Uni<List<RecordedEvent>> read = ahead != null ? Uni.createFrom().completionStage(ahead) : read(pool);
        return read.chain(events -> {
            if (events.isEmpty()) {
                return Uni.createFrom().item(false);
            }
            if (events.size() == pageSize) {
                readAhead = read(pool, events.getLast().position()).subscribeAsCompletionStage();
            }
            // The projections' tables are apart: each applies the page in its own transaction, side by side.
            return Uni.join().all(parts.stream().map(part -> pool.withTransaction(tx -> onRebuildTables(tx)
                            .chain(() -> apply(tx, part, events)))).toList()).andFailFast()
                    .invoke(() -> position = events.getLast().position())
                    .replaceWith(events.size() == pageSize);
        }).call(this::progress);
    }

    private Uni<List<RecordedEvent>> read(SqlClient client) {
        return read(client, position);
    }

    /** A page of every type any of the projections reads, each event decoded once for all of them. */
    private Uni<List<RecordedEvent>> read(SqlClient client, long after) {
        return log.after(client, after, types, pageSize).map(events -> events.stream()
                .map(e -> new RecordedEvent(e.position(), e.eventId(), e.streamId(), e.streamVersion(), e.type(),
                        e.payload(), e.metadata(), e.recordedAt(), codec.decode(e)))
                .toList());
    }

    private Uni<Void> switchOver() {
        return pool.withTransaction(tx -> tx.query("SET LOCAL lock_timeout = '30s'").execute()
                .chain(() -> eachPart(part -> tx.preparedQuery(LOCK_LIVE).execute(Tuple.of(part.name()))))
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
        return indexNames(tx, part, live)
                .chain(liveIndexes -> sequentially(part.handler().viewTables().stream()
                                .flatMap(table -> List.of("DROP TABLE " + quoted(live) + "." + quoted(table),
                                        "ALTER TABLE " + quoted(part.schema()) + "." + quoted(table)
                                                + " SET SCHEMA " + quoted(live)).stream())
                                .toList(), tx)
                        .chain(() -> renameIndexes(tx, part, liveIndexes)))
                .chain(() -> tx.preparedQuery(MOVE_LIVE).execute(Tuple.of(part.name(), position)))
                .chain(() -> tx.query("DROP SCHEMA " + quoted(part.schema())).execute())
                .replaceWithVoid();
    }

    private Uni<Void> rest(SqlConnection tx) {
        return read(tx).chain(events -> apply(tx, events, head))
                .chain(full -> full ? rest(tx) : Uni.createFrom().voidItem());
    }

    /** The rebuild schemas first on the search path: the handlers' SQL names no schema. */
    private Uni<Void> onRebuildTables(SqlConnection tx) {
        String schemas = String.join(", ", parts.stream().map(part -> quoted(part.schema())).toList());
        return tx.query("SET LOCAL search_path TO " + schemas + ", " + quoted(live)).execute().replaceWithVoid();
    }

    /**
     * Applies a page read after {@link #position}, up to {@code upTo}, to each projection (its own types only);
     * tells whether more may follow.
     */
    private Uni<Boolean> apply(SqlConnection tx, List<RecordedEvent> read, long upTo) {
        List<RecordedEvent> events = read.stream().filter(e -> e.position() <= upTo).toList();
        if (events.isEmpty()) {
            return Uni.createFrom().item(false);
        }
        return eachPart(part -> apply(tx, part, events)).invoke(() -> position = events.getLast().position())
                .replaceWith(read.size() == pageSize && events.size() == read.size());
    }

    /** Applies the events of the projection's own types. */
    private Uni<Void> apply(SqlConnection tx, Part part, List<RecordedEvent> events) {
        List<RecordedEvent> own = events.stream()
                .filter(e -> part.handler().eventTypes().contains(e.type())).toList();
        return own.isEmpty() ? Uni.createFrom().voidItem() : part.handler().apply(tx, own);
    }

    /** Keeps the claims alive, and logs a progress line every 10 s. */
    private Uni<Void> progress() {
        if (System.nanoTime() - lastReport > PROGRESS_EVERY_NANOS) {
            lastReport = System.nanoTime();
            LOG.infof("rebuild of %s: %d of %d events", names, position, target);
        }
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

    /** Index definition without its name, so that the rebuilt index can be given the live one's name. */
    private Uni<Map<String, String>> indexNames(SqlConnection tx, Part part, String inSchema) {
        return tx.preparedQuery(INDEXES)
                .execute(Tuple.of(inSchema, part.handler().viewTables().toArray(String[]::new)))
                .map(rows -> {
                    Map<String, String> byDefinition = new HashMap<>();
                    rows.forEach(row -> byDefinition.put(
                            unnamed(row.getString(1), row.getString(0), inSchema), row.getString(0)));
                    return byDefinition;
                });
    }

    private Uni<Void> renameIndexes(SqlConnection tx, Part part, Map<String, String> liveNames) {
        return indexNames(tx, part, live).chain(rebuilt -> sequentially(rebuilt.entrySet().stream()
                .filter(e -> liveNames.containsKey(e.getKey()) && !liveNames.get(e.getKey()).equals(e.getValue()))
                .map(e -> "ALTER INDEX " + quoted(live) + "." + quoted(e.getValue()) + " RENAME TO "
                        + quoted(liveNames.get(e.getKey())))
                .toList(), tx));
    }

    private static String quoted(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    private static String unnamed(String definition, String name, String schema) {
        return definition.replace(" " + name + " ", " ").replace(" " + quoted(name) + " ", " ")
                .replace(schema + ".", "");
    }

    private static Uni<Void> sequentially(List<String> statements, SqlConnection tx) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (String statement : statements) {
            chain = chain.chain(() -> tx.query(statement).execute().replaceWithVoid());
        }
        return chain;
    }
}

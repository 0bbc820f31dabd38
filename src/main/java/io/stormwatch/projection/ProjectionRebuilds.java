package io.stormwatch.projection;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.stormwatch.eventstore.EventCodec;
import io.stormwatch.eventstore.EventFilter;
import io.stormwatch.eventstore.EventLog;
import io.stormwatch.eventstore.RecordedEvent;
import io.stormwatch.infra.StormwatchConfig;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Rebuilds a projection from the event store beside its live tables, so that queries keep being served from the
 * live ones meanwhile:
 * <ol>
 * <li>the projection's tables are created empty, with the same columns, constraints and indexes, in a schema of
 * their own ({@code rebuild_<name>});</li>
 * <li>the projection's own handler applies the whole log to them, a page per transaction, with the rebuild schema
 * first on the search path (its SQL names no schema);</li>
 * <li>when it is near the head, one transaction locks the live checkpoint (the live subscription waits), applies
 * the rest, replaces the live tables with the rebuilt ones and moves the checkpoint to where the rebuild ended.</li>
 * </ol>
 * The {@code projection_rebuild} row is the claim (one rebuild of a projection at a time, across replicas) and the
 * progress report; a rebuild whose owner stopped updating it for a minute can be started again. A rebuild that
 * fails or dies leaves the live tables as they were.
 */
@ApplicationScoped
public class ProjectionRebuilds {

    private static final Logger LOG = Logger.getLogger(ProjectionRebuilds.class);
    private static final long PROGRESS_EVERY_NANOS = 10_000_000_000L;

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
    private static final String PROGRESS = """
            UPDATE projection_rebuild SET position = $2, updated_at = now()
            WHERE name = $1 AND state = 'running' AND started_at = $3""";
    private static final String FINISH = """
            UPDATE projection_rebuild SET state = $2, position = $3, error = $4, updated_at = now(), finished_at = now()
            WHERE name = $1 AND started_at = $5""";
    private static final String LOCK_LIVE = "SELECT position FROM projection_checkpoint WHERE name = $1 FOR UPDATE";
    private static final String MOVE_LIVE = "UPDATE projection_checkpoint SET position = $2, updated_at = now() WHERE name = $1";
    private static final String INDEXES = "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = $1 AND tablename = ANY($2)";

    private final Subscriptions subscriptions;
    private final Pool pool;
    private final EventLog log;
    private final EventCodec codec;
    /** Events per transaction of a rebuild. */
    private final int pageSize;

    public ProjectionRebuilds(Subscriptions subscriptions, Pool pool, EventLog log, EventCodec codec,
            StormwatchConfig config) {
        this.subscriptions = subscriptions;
        this.pool = pool;
        this.log = log;
        this.codec = codec;
        this.pageSize = config.projection().rebuildPageSize();
    }

    /** The names of the projections that can be rebuilt. */
    public List<String> rebuildable() {
        return subscriptions.all().stream().map(Subscription::handler).filter(h -> !h.viewTables().isEmpty())
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
        EventHandler handler = subscriptions.all().stream().map(Subscription::handler)
                .filter(h -> h.name().equals(name)).findFirst().orElse(null);
        if (handler == null || handler.viewTables().isEmpty()) {
            String reason = handler == null ? "there is no projection named '" + name + "'"
                    : name + " is not a view: its state decides the events it appends, so it is never rebuilt";
            return Uni.createFrom().item(new Start.NotRebuildable(name, reason, handler != null));
        }
        return start(List.of(handler));
    }

    /**
     * Rebuilds every view in one pass over the log: each event is read and decoded once for all of them, where
     * rebuilding them one by one reads and decodes it once per view. Each keeps its own status.
     */
    public Uni<Start> startAll() {
        return start(subscriptions.all().stream().map(Subscription::handler).filter(h -> !h.viewTables().isEmpty())
                .toList());
    }

    /** Claims every one of {@code handlers} in one transaction, or none of them when one is being rebuilt. */
    private Uni<Start> start(List<EventHandler> handlers) {
        return log.head().chain(head -> pool.withTransaction(tx -> claim(tx, handlers, head, new ArrayList<>())))
                .map(Optional::of).onFailure(AlreadyClaimed.class).recoverWithItem(Optional.empty())
                .chain(claimed -> {
                    if (claimed.isPresent()) {
                        new Rebuild(handlers, claimed.get()).run();
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

    private static String quoted(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /** One projection of a run: its handler, its claim, and the schema its tables are rebuilt in. */
    private record Part(EventHandler handler, Status claim, String schema) {
        String name() {
            return handler.name();
        }
    }

    /**
     * One run, over one or several projections at once: a page is read and decoded once and applied to each of
     * them in one transaction. Identifiers in its DDL come from the handlers' code, never from a request.
     */
    private final class Rebuild {
        final List<Part> parts;
        final String names;
        final EventFilter types;
        final long target;
        String live;
        long position;
        long head;
        long lastReport = System.nanoTime();
        /** The page after {@link #position}, read ahead on another connection while the one before is applied. */
        CompletableFuture<List<RecordedEvent>> readAhead;

        Rebuild(List<EventHandler> handlers, List<Status> claims) {
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

        Uni<Void> prepare() {
            List<String> statements = new ArrayList<>();
            return pool.withTransaction(tx -> tx.query("SELECT current_schema()").execute()
                    .invoke(rows -> {
                        live = rows.iterator().next().getString(0);
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
        Uni<Void> copyUntilNearHead() {
            return Multi.createBy().repeating().uni(this::nextPage).whilst(full -> full)
                    .onItem().ignoreAsUni();
        }

        Uni<Boolean> nextPage() {
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

        Uni<List<RecordedEvent>> read(SqlClient client) {
            return read(client, position);
        }

        /** A page of every type any of the projections reads, each event decoded once for all of them. */
        Uni<List<RecordedEvent>> read(SqlClient client, long after) {
            return log.after(client, after, types, pageSize).map(events -> events.stream()
                    .map(e -> new RecordedEvent(e.position(), e.eventId(), e.streamId(), e.streamVersion(), e.type(),
                            e.payload(), e.metadata(), e.recordedAt(), codec.decode(e)))
                    .toList());
        }

        Uni<Void> switchOver() {
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
        Uni<Void> replaceLive(SqlConnection tx, Part part) {
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

        Uni<Void> rest(SqlConnection tx) {
            return read(tx).chain(events -> apply(tx, events, head))
                    .chain(full -> full ? rest(tx) : Uni.createFrom().voidItem());
        }

        /** The rebuild schemas first on the search path: the handlers' SQL names no schema. */
        Uni<Void> onRebuildTables(SqlConnection tx) {
            String schemas = String.join(", ", parts.stream().map(part -> quoted(part.schema())).toList());
            return tx.query("SET LOCAL search_path TO " + schemas + ", " + quoted(live)).execute().replaceWithVoid();
        }

        /**
         * Applies a page read after {@link #position}, up to {@code upTo}, to each projection (its own types only);
         * tells whether more may follow.
         */
        Uni<Boolean> apply(SqlConnection tx, List<RecordedEvent> read, long upTo) {
            List<RecordedEvent> events = read.stream().filter(e -> e.position() <= upTo).toList();
            if (events.isEmpty()) {
                return Uni.createFrom().item(false);
            }
            return eachPart(part -> apply(tx, part, events)).invoke(() -> position = events.getLast().position())
                    .replaceWith(read.size() == pageSize && events.size() == read.size());
        }

        /** Applies the events of the projection's own types. */
        Uni<Void> apply(SqlConnection tx, Part part, List<RecordedEvent> events) {
            List<RecordedEvent> own = events.stream()
                    .filter(e -> part.handler().eventTypes().contains(e.type())).toList();
            return own.isEmpty() ? Uni.createFrom().voidItem() : part.handler().apply(tx, own);
        }

        /** Keeps the claims alive, and logs a progress line every 10 s. */
        Uni<Void> progress() {
            if (System.nanoTime() - lastReport > PROGRESS_EVERY_NANOS) {
                lastReport = System.nanoTime();
                LOG.infof("rebuild of %s: %d of %d events", names, position, target);
            }
            return pool.preparedQuery(PROGRESS).executeBatch(parts.stream()
                    .map(part -> Tuple.of(part.name(), position, part.claim().startedAt())).toList())
                    .replaceWithVoid();
        }

        Uni<Void> finish(String state, String error) {
            return pool.preparedQuery(FINISH).executeBatch(parts.stream()
                    .map(part -> Tuple.of(part.name(), state, position, error, part.claim().startedAt())).toList())
                    .replaceWithVoid();
        }

        /** Runs {@code work} for each projection, one after the other. */
        Uni<Void> eachPart(Function<Part, Uni<?>> work) {
            return Multi.createFrom().iterable(parts).onItem().transformToUniAndConcatenate(work)
                    .collect().last().replaceWithVoid();
        }

        /** Index definition without its name, so that the rebuilt index can be given the live one's name. */
        Uni<Map<String, String>> indexNames(SqlConnection tx, Part part, String inSchema) {
            return tx.preparedQuery(INDEXES)
                    .execute(Tuple.of(inSchema, part.handler().viewTables().toArray(String[]::new)))
                    .map(rows -> {
                        Map<String, String> byDefinition = new HashMap<>();
                        rows.forEach(row -> byDefinition.put(
                                unnamed(row.getString(1), row.getString(0), inSchema), row.getString(0)));
                        return byDefinition;
                    });
        }

        Uni<Void> renameIndexes(SqlConnection tx, Part part, Map<String, String> liveNames) {
            return indexNames(tx, part, live).chain(rebuilt -> sequentially(rebuilt.entrySet().stream()
                    .filter(e -> liveNames.containsKey(e.getKey()) && !liveNames.get(e.getKey()).equals(e.getValue()))
                    .map(e -> "ALTER INDEX " + quoted(live) + "." + quoted(e.getValue()) + " RENAME TO "
                            + quoted(liveNames.get(e.getKey())))
                    .toList(), tx));
        }
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

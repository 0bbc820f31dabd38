package io.stormwatch.projection;

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
 * applies a page in its own transaction, side by side, to its tables in {@link RebuildSchemas}. A handler that
 * {@link EventHandler#appliesInDatabase applies in the database} reads the page's events there, in its statements,
 * and nothing goes through the service but the positions; any other reads its own types of the page and applies them
 * as its live subscription would. Near the head, one transaction applies the rest under the live subscriptions'
 * locks and puts the rebuilt tables in place of the live ones.
 */
final class RebuildRun {

    private static final Logger LOG = Logger.getLogger(ProjectionRebuilds.class);
    private static final String LOCK_LIVE =
            "SELECT position FROM projection_checkpoint WHERE name = ANY($1) ORDER BY name FOR UPDATE";
    private static final String MOVE_LIVE = "UPDATE projection_checkpoint SET position = $2, updated_at = now() WHERE name = $1";

    private final Pool pool;
    private final EventLog log;
    /** Positions of the log (events of any type) per transaction. */
    private final int pageSize;
    private final List<RebuildPart> parts;
    private final String names;
    private final long target;
    private final RebuildSchemas schemas;
    private final RebuildProgress progress;
    private long position;
    private long head;

    RebuildRun(List<EventHandler> handlers, List<Status> claims, Pool pool, EventLog log, int pageSize) {
        this.pool = pool;
        this.log = log;
        this.pageSize = pageSize;
        List<RebuildPart> list = new ArrayList<>();
        for (int i = 0; i < handlers.size(); i++) {
            list.add(new RebuildPart(handlers.get(i), claims.get(i)));
        }
        this.parts = List.copyOf(list);
        this.names = String.join(", ", handlers.stream().map(EventHandler::name).toList());
        this.target = claims.getFirst().target();
        this.schemas = new RebuildSchemas(pool, parts);
        this.progress = new RebuildProgress(pool, parts, names, target);
    }

    void run() {
        LOG.infof("rebuild of %s: started, %d events in the store", names, target);
        schemas.create().chain(this::copyUntilNearHead).chain(this::buildDeferredIndexes).chain(this::switchOver)
                .call(() -> progress.finish("done", position, null))
                .subscribe().with(
                        ignored -> LOG.infof("rebuild of %s: done at position %d; the live tables are the"
                                + " rebuilt ones", names, position),
                        failure -> {
                            LOG.errorf("rebuild of %s failed at position %d, the live tables are unchanged: %s",
                                    names, position, failure.toString());
                            schemas.dropAll().chain(() -> progress.finish("failed", position, failure.toString()))
                                    .subscribe().with(x -> {
                                    }, e -> LOG.warnf("rebuild of %s: could not record the failure: %s",
                                            names, e.toString()));
                        });
    }

    private Uni<Void> buildDeferredIndexes() {
        if (schemas.deferredIndexes() == 0) {
            return Uni.createFrom().voidItem();
        }
        LOG.infof("rebuild of %s: building the secondary indexes (%d) at position %d", names,
                schemas.deferredIndexes(), position);
        return schemas.buildDeferredIndexes();
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
            return Uni.join().all(parts.stream().map(part -> pool.withTransaction(tx -> schemas.onRebuildTables(tx)
                            .chain(() -> tx.query("SET LOCAL synchronous_commit = off").execute())
                            .chain(() -> apply(tx, part, after, upTo)))).toList()).andFailFast()
                    .invoke(() -> position = upTo)
                    .replaceWith(true);
        }).call(() -> progress.reached(position));
    }

    private Uni<Void> switchOver() {
        return pool.withTransaction(tx -> tx.query("SET LOCAL lock_timeout = '30s'").execute()
                // In the order of their names, as the live subscription locks them (Checkpoints.LOCK).
                .chain(() -> tx.preparedQuery(LOCK_LIVE).execute(Tuple.of((Object) parts.stream()
                        .map(RebuildPart::name).toArray(String[]::new))))
                // Every position up to the head is committed (appends are contiguous and in order): the rebuild
                // covers them all, and the live subscriptions go on after the head.
                .chain(() -> tx.query("SELECT COALESCE(MAX(position), 0) FROM event").execute())
                .invoke(rows -> head = rows.iterator().next().getLong(0))
                .chain(() -> schemas.onRebuildTables(tx))
                .chain(() -> rest(tx))
                .chain(() -> schemas.onLiveTables(tx))
                .invoke(() -> position = Math.max(position, head))
                .chain(() -> eachPart(part -> schemas.replaceLive(tx, part)
                        .chain(() -> tx.preparedQuery(MOVE_LIVE).execute(Tuple.of(part.name(), position)))))
                .replaceWithVoid());
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

    /** Applies the events of the projection's own types at positions {@code (after, upTo]}. */
    private Uni<Void> apply(SqlConnection tx, RebuildPart part, long after, long upTo) {
        EventHandler handler = part.handler();
        if (handler.appliesInDatabase()) {
            return handler.applyInDatabase(tx, after, upTo);
        }
        return log.between(tx, after, upTo, handler.eventTypes())
                .chain(events -> events.isEmpty() ? Uni.createFrom().voidItem() : handler.apply(tx, events));
    }

    /** Runs {@code work} for each projection, one after the other. */
    private Uni<Void> eachPart(Function<RebuildPart, Uni<?>> work) {
        return Multi.createFrom().iterable(parts).onItem().transformToUniAndConcatenate(work)
                .collect().last().replaceWithVoid();
    }
}

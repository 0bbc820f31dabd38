package io.stormwatch.projection;

import static io.stormwatch.projection.RebuildIndexes.quoted;
import static io.stormwatch.projection.RebuildIndexes.sequentially;

import java.util.ArrayList;
import java.util.List;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * Where a run writes: a schema per projection with empty copies of its live tables, first on the search path of the
 * run's transactions (the handlers' SQL names no schema), and at the end moved over the live ones. Identifiers in its
 * DDL come from the handlers' code, never from a request.
 */
final class RebuildSchemas {

    private final Pool pool;
    private final List<RebuildPart> parts;
    private final RebuildIndexes indexes = new RebuildIndexes();
    private String live;

    RebuildSchemas(Pool pool, List<RebuildPart> parts) {
        this.pool = pool;
        this.parts = parts;
    }

    /** The rebuild schemas, with empty tables like the live ones and only the indexes that back a constraint. */
    Uni<Void> create() {
        List<String> statements = new ArrayList<>();
        return pool.withTransaction(tx -> tx.query("SELECT current_schema()").execute()
                .invoke(rows -> {
                    live = rows.iterator().next().getString(0);
                    // A schema that is not there is the normal case: no NOTICE for it (the client logs one as a
                    // warning).
                    statements.add("SET LOCAL client_min_messages = warning");
                    for (RebuildPart part : parts) {
                        String schema = quoted(part.schema());
                        statements.add("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
                        statements.add("CREATE SCHEMA " + schema);
                        part.handler().viewTables().forEach(table -> statements.add("CREATE TABLE " + schema
                                + "." + quoted(table) + " (LIKE " + quoted(live) + "." + quoted(table)
                                + " INCLUDING ALL)"));
                    }
                })
                .chain(() -> sequentially(statements, tx))
                .chain(() -> indexes.dropSecondary(tx, parts.stream().map(RebuildPart::schema).toList())));
    }

    int deferredIndexes() {
        return indexes.deferredCount();
    }

    /**
     * The indexes dropped by {@link #create}, built over the rebuilt rows at once (RebuildIndexes says why). The pages
     * left for the switch-over keep them up to date as they are written.
     */
    Uni<Void> buildDeferredIndexes() {
        return indexes.buildDeferred(pool);
    }

    /** The rebuild schemas first on the transaction's search path. */
    Uni<Void> onRebuildTables(SqlConnection tx) {
        String schemas = String.join(", ", parts.stream().map(part -> quoted(part.schema())).toList());
        return tx.query("SET LOCAL search_path TO " + schemas + ", " + quoted(live)).execute().replaceWithVoid();
    }

    Uni<Void> onLiveTables(SqlConnection tx) {
        return tx.query("SET LOCAL search_path TO " + quoted(live)).execute().replaceWithVoid();
    }

    /** The live tables of one projection become its rebuilt ones, under the rebuilt indexes' live names. */
    Uni<Void> replaceLive(SqlConnection tx, RebuildPart part) {
        List<String> tables = part.handler().viewTables();
        return RebuildIndexes.byDefinition(tx, tables, live)
                .chain(liveIndexes -> sequentially(tables.stream()
                                .flatMap(table -> List.of("DROP TABLE " + quoted(live) + "." + quoted(table),
                                        "ALTER TABLE " + quoted(part.schema()) + "." + quoted(table)
                                                + " SET SCHEMA " + quoted(live)).stream())
                                .toList(), tx)
                        .chain(() -> RebuildIndexes.rename(tx, tables, live, liveIndexes)))
                .chain(() -> tx.query("DROP SCHEMA " + quoted(part.schema())).execute())
                .replaceWithVoid();
    }

    /** After a failure: the rebuild schemas go, whatever they hold; the live tables were never touched. */
    Uni<Void> dropAll() {
        return Multi.createFrom().iterable(parts)
                .onItem().transformToUniAndConcatenate(part -> pool.query(
                        "DROP SCHEMA IF EXISTS " + quoted(part.schema()) + " CASCADE")
                        .execute().onFailure().recoverWithNull().replaceWithVoid())
                .collect().last().replaceWithVoid();
    }
}

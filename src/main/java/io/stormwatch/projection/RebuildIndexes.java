package io.stormwatch.projection;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The indexes of a rebuild's tables. Those that back no constraint are dropped before the pages and built over the
 * rebuilt rows at once: a million observation rows were written in 3.2 s without their (station, time) index and
 * 7.2 s with it, and the index was then built in 1.3 s (docs/benchmarks.md). At the switch-over the rebuilt indexes
 * take the live ones' names. Also the SQL helpers of a rebuild: quoting a name, running statements in turn.
 */
final class RebuildIndexes {

    /** The indexes that back no constraint (the views' upserts need their unique ones), with their definitions. */
    private static final String SECONDARY = """
            SELECT n.nspname, c.relname, pg_get_indexdef(i.indexrelid)
            FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = ANY($1) AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
            ORDER BY 1, 2""";
    private static final String INDEXES =
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = $1 AND tablename = ANY($2)";

    /** Definitions of the indexes built after the pages instead of kept up to date by each. */
    private final List<String> deferred = new ArrayList<>();

    /** Drops the secondary indexes of the rebuild schemas, keeping their definitions for {@link #buildDeferred}. */
    Uni<Void> dropSecondary(SqlConnection tx, List<String> schemas) {
        return tx.preparedQuery(SECONDARY).execute(Tuple.of(schemas.toArray(String[]::new))).chain(rows -> {
            List<String> drops = new ArrayList<>();
            rows.forEach(row -> {
                drops.add("DROP INDEX " + quoted(row.getString(0)) + "." + quoted(row.getString(1)));
                deferred.add(row.getString(2));
            });
            return sequentially(drops, tx);
        });
    }

    int deferredCount() {
        return deferred.size();
    }

    Uni<Void> buildDeferred(Pool pool) {
        return Multi.createFrom().iterable(deferred)
                .onItem().transformToUniAndConcatenate(definition -> pool.query(definition).execute())
                .collect().last().replaceWithVoid();
    }

    /** The indexes of {@code tables} in {@code schema}, by their definition without name or schema. */
    static Uni<Map<String, String>> byDefinition(SqlConnection tx, List<String> tables, String schema) {
        return tx.preparedQuery(INDEXES).execute(Tuple.of(schema, tables.toArray(String[]::new))).map(rows -> {
            Map<String, String> names = new HashMap<>();
            rows.forEach(row -> names.put(unnamed(row.getString(1), row.getString(0), schema), row.getString(0)));
            return names;
        });
    }

    /** Gives the indexes of {@code tables}, now in {@code schema}, the names {@code names} had for them. */
    static Uni<Void> rename(SqlConnection tx, List<String> tables, String schema, Map<String, String> names) {
        return byDefinition(tx, tables, schema).chain(rebuilt -> sequentially(rebuilt.entrySet().stream()
                .filter(e -> names.containsKey(e.getKey()) && !names.get(e.getKey()).equals(e.getValue()))
                .map(e -> "ALTER INDEX " + quoted(schema) + "." + quoted(e.getValue()) + " RENAME TO "
                        + quoted(names.get(e.getKey())))
                .toList(), tx));
    }

    static String quoted(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    static Uni<Void> sequentially(List<String> statements, SqlConnection tx) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (String statement : statements) {
            chain = chain.chain(() -> tx.query(statement).execute().replaceWithVoid());
        }
        return chain;
    }

    private static String unnamed(String definition, String name, String schema) {
        return definition.replace(" " + name + " ", " ").replace(" " + quoted(name) + " ", " ")
                .replace(schema + ".", "");
    }
}

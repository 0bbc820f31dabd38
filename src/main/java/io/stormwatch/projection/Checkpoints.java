package io.stormwatch.projection;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/** The checkpoints' rows of a subscription's handlers, locked for one transaction, and who applied events in it. */
final class Checkpoints {

    /**
     * Locks the checkpoints, in the order of their names (as the rebuild's switch-over does, so the two never wait
     * for each other in a cycle). The transaction commits without waiting for the WAL flush: a view's rows and its
     * checkpoint commit together or not at all either way, and what a database crash can take is the last such
     * commits, whose events the subscription applies again from the store, which is written with synchronous
     * commits. A handler that appends events gets the flush back ({@link EventHandler#apply}).
     */
    private static final String LOCK = """
            SELECT name, position, set_config('synchronous_commit', 'off', true)
            FROM projection_checkpoint WHERE name = ANY($1) ORDER BY name FOR UPDATE""";
    private static final String MOVE = """
            UPDATE projection_checkpoint c SET position = m.position, updated_at = now()
            FROM unnest($1::text[], $2::bigint[]) AS m(name, position) WHERE c.name = m.name""";

    final SqlConnection tx;
    final Map<String, Long> positions;
    final List<EventHandler> applied = new ArrayList<>();

    private Checkpoints(SqlConnection tx, Map<String, Long> positions) {
        this.tx = tx;
        this.positions = positions;
    }

    static Uni<Checkpoints> lock(SqlConnection tx, String[] names) {
        return tx.preparedQuery(LOCK).execute(Tuple.of((Object) names)).chain(rows -> {
            Map<String, Long> positions = new HashMap<>();
            for (Row row : rows) {
                positions.put(row.getString(0), row.getLong(1));
            }
            for (String name : names) {
                if (!positions.containsKey(name)) {
                    return Uni.createFrom().failure(new IllegalStateException("no checkpoint row for " + name));
                }
            }
            return Uni.createFrom().item(new Checkpoints(tx, positions));
        });
    }

    long of(String name) {
        return positions.get(name);
    }

    long lowest() {
        return positions.values().stream().mapToLong(Long::longValue).min().orElseThrow();
    }

    long highest() {
        return positions.values().stream().mapToLong(Long::longValue).max().orElseThrow();
    }

    /** One statement for all of them: {@code moved} are now at {@code through}. */
    Uni<Void> move(List<String> moved, long through) {
        Long[] to = moved.stream().map(name -> through).toArray(Long[]::new);
        return tx.preparedQuery(MOVE).execute(Tuple.of(moved.toArray(String[]::new), to))
                .invoke(() -> moved.forEach(name -> positions.put(name, through)))
                .replaceWithVoid();
    }
}

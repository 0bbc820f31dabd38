package io.stormwatch.eventstore;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * A transaction's statements on the SQL client. Statements asked for together are pipelined on the connection: they
 * go in one round trip and run in order. Events are appended by one statement, whatever their number.
 */
public final class SqlTransaction implements StoreTransaction {

    /** Arrays, unnested (the columns' casts make the JSON jsonb); it answers the transaction's timestamp. */
    private static final String INSERT = """
            WITH appended AS (
                INSERT INTO event (position, event_id, stream_id, stream_version, type, payload, metadata)
                SELECT p, i, s, v, t, CAST(d AS jsonb), CAST(m AS jsonb)
                FROM unnest($1::bigint[], $2::uuid[], $3::text[], $4::bigint[], $5::text[], $6::text[], $7::text[])
                    AS e(p, i, s, v, t, d, m))
            SELECT now()""";

    private final SqlClient client;

    /** A transaction's connection, or a pool for statements that need none. */
    public SqlTransaction(SqlClient client) {
        this.client = client;
    }

    @Override
    public Uni<List<Object[]>> rows(String sql, Object... parameters) {
        return client.preparedQuery(sql).execute(Tuple.tuple(Arrays.asList(parameters))).map(rows -> {
            List<Object[]> values = new ArrayList<>(rows.size());
            for (Row row : rows) {
                Object[] columns = new Object[row.size()];
                for (int i = 0; i < columns.length; i++) {
                    columns[i] = row.getValue(i);
                }
                values.add(columns);
            }
            return values;
        });
    }

    @Override
    public Uni<Void> update(String sql, Object... parameters) {
        return client.preparedQuery(sql).execute(Tuple.tuple(Arrays.asList(parameters))).replaceWithVoid();
    }

    @Override
    public Uni<OffsetDateTime> append(List<RecordedEvent> events) {
        int n = events.size();
        Long[] positions = new Long[n];
        UUID[] ids = new UUID[n];
        String[] streams = new String[n];
        Long[] versions = new Long[n];
        String[] types = new String[n];
        String[] payloads = new String[n];
        String[] metadata = new String[n];
        for (int i = 0; i < n; i++) {
            RecordedEvent event = events.get(i);
            positions[i] = event.position();
            ids[i] = event.eventId();
            streams[i] = event.streamId();
            versions[i] = event.streamVersion();
            types[i] = event.type();
            payloads[i] = event.payload();
            metadata[i] = event.metadata();
        }
        return client.preparedQuery(INSERT)
                .execute(Tuple.tuple(List.of(positions, ids, streams, versions, types, payloads, metadata)))
                .map(rows -> rows.iterator().next().getOffsetDateTime(0));
    }
}

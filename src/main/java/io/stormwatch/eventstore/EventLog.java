package io.stormwatch.eventstore;

import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Singleton;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Reads of the event log in position order, for the publisher, catch-up readers and the HTTP endpoints. Positions
 * are gap-safe (see {@link EventStore}): paging with {@code after = last position seen} never misses an event.
 */
@Singleton
public class EventLog {

    private static final String COLUMNS =
            "SELECT position, event_id, stream_id, stream_version, type, payload::text, metadata::text, recorded_at";

    /*
     * One statement per shape of filter: a prepared statement gets a generic plan after a few executions, and
     * with optional conditions ("$2 is empty OR ...") PostgreSQL planned a parallel scan of the whole table that
     * took a second on a million events (docs/benchmarks.md); each of these is an index range scan.
     */
    private static final String AFTER = COLUMNS + " FROM event WHERE position > $1 ORDER BY position LIMIT $2";
    private static final String AFTER_OF_TYPES = COLUMNS
            + " FROM event WHERE position > $1 AND type = ANY($2::text[]) ORDER BY position LIMIT $3";
    private static final String BETWEEN_OF_TYPES = COLUMNS
            + " FROM event WHERE position > $1 AND position <= $2 AND type = ANY($3::text[]) ORDER BY position";
    private static final String AFTER_FILTERED = COLUMNS + """
             FROM event
            WHERE position > $1 AND (cardinality($2::text[]) = 0 OR type = ANY($2)) AND stream_id = $3
            ORDER BY position
            LIMIT $4""";

    /*
     * The same as AFTER_OF_TYPES, with the head of the same snapshot: appends commit in position order, so
     * everything up to it has been looked at when fewer than the limit match (one row, with no event, when none do).
     */
    private static final String SCAN_OF_TYPES = "SELECT e.*, h.head"
            + " FROM (SELECT COALESCE(MAX(position), 0) AS head FROM event) h"
            + " LEFT JOIN LATERAL (" + COLUMNS
            + " FROM event WHERE position > $1 AND type = ANY($2::text[]) ORDER BY position LIMIT $3) e ON true";

    /** A page of a read, and how far the log was read to get it: past the last event when other types followed. */
    public record Scan(List<RecordedEvent> events, long through) {
    }

    private final Pool pool;
    private final RecentEvents recentEvents;

    public EventLog(Pool pool, RecentEvents recentEvents) {
        this.pool = pool;
        this.recentEvents = recentEvents;
    }

    /** At most {@code limit} events after {@code position} that match {@code filter}, in position order. */
    public Uni<List<RecordedEvent>> after(long position, EventFilter filter, int limit) {
        return after(pool, position, filter, limit);
    }

    /** The same, on a given connection (a transaction's). */
    public Uni<List<RecordedEvent>> after(SqlClient client, long position, EventFilter filter, int limit) {
        String[] types = filter.types().toArray(String[]::new);
        Uni<RowSet<Row>> query;
        if (filter.streamId() != null) {
            query = client.preparedQuery(AFTER_FILTERED).execute(Tuple.of(position, types, filter.streamId(), limit));
        } else if (types.length > 0) {
            query = client.preparedQuery(AFTER_OF_TYPES).execute(Tuple.of(position, types, limit));
        } else {
            query = client.preparedQuery(AFTER).execute(Tuple.of(position, limit));
        }
        return query.map(EventLog::events);
    }

    /** Every event of the given types at positions {@code (after, upTo]}, in position order. */
    public Uni<List<RecordedEvent>> between(SqlClient client, long after, long upTo, List<String> types) {
        return client.preparedQuery(BETWEEN_OF_TYPES).execute(Tuple.of(after, upTo, types.toArray(String[]::new)))
                .map(EventLog::events);
    }

    /**
     * At most {@code limit} events after {@code position} of the filter's types (any stream), and the position the
     * log was read through: a reader of rare types moves past the events of other types, instead of reading them
     * again on every call (the alert publisher read the whole log each time; docs/benchmarks.md). What this service
     * has just appended is taken from {@link RecentEvents} instead of being read back.
     */
    public Uni<Scan> scan(long position, EventFilter filter, int limit) {
        Scan recent = filter.streamId() == null ? recentEvents.scan(position, filter.types(), limit) : null;
        if (recent != null) {
            return Uni.createFrom().item(recent);
        }
        if (filter.types().isEmpty() || filter.streamId() != null) {
            return after(position, filter, limit).map(events -> new Scan(events,
                    events.isEmpty() ? position : events.getLast().position()));
        }
        return pool.preparedQuery(SCAN_OF_TYPES)
                .execute(Tuple.of(position, filter.types().toArray(String[]::new), limit))
                .map(rows -> {
                    List<RecordedEvent> events = new ArrayList<>(rows.size());
                    long head = position;
                    for (Row row : rows) {
                        head = row.getLong(8);
                        if (row.getLong(0) != null) {
                            events.add(read(row));
                        }
                    }
                    long through = events.size() == limit ? events.getLast().position() : Math.max(position, head);
                    return new Scan(events, through);
                });
    }

    /** The events of one stream, in order, of the given types (all when empty), before {@code beforePosition}. */
    public Uni<List<RecordedEvent>> stream(String streamId, List<String> types, long beforePosition) {
        return pool.preparedQuery("""
                        SELECT position, event_id, stream_id, stream_version, type, payload::text, metadata::text, recorded_at
                        FROM event
                        WHERE stream_id = $1 AND (cardinality($2::text[]) = 0 OR type = ANY($2)) AND position < $3
                        ORDER BY stream_version""")
                .execute(Tuple.of(streamId, types.toArray(String[]::new), beforePosition))
                .map(EventLog::events);
    }

    /** The position of the newest event, 0 when the log is empty. */
    public Uni<Long> head() {
        return pool.query("SELECT COALESCE(MAX(position), 0) FROM event").execute()
                .map(rows -> rows.iterator().next().getLong(0));
    }

    private static List<RecordedEvent> events(RowSet<Row> rows) {
        List<RecordedEvent> events = new ArrayList<>(rows.size());
        for (Row row : rows) {
            events.add(read(row));
        }
        return events;
    }

    static RecordedEvent read(Row row) {
        return new RecordedEvent(row.getLong(0), row.getUUID(1), row.getString(2), row.getLong(3), row.getString(4),
                row.getString(5), row.getString(6), row.getOffsetDateTime(7));
    }
}

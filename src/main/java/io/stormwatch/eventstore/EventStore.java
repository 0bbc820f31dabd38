package io.stormwatch.eventstore;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Singleton;

import io.smallrye.mutiny.Uni;
import io.stormwatch.api.Event;

/**
 * The append side of the event store, on a connection whose transaction the caller owns.
 * <p>
 * Global positions are gap-safe: {@link #lockAppends} takes a transaction-scoped advisory lock, so one
 * transaction at a time assigns positions {@code head + 1, head + 2, ...} and commits them before the next one
 * reads the head. A reader that has seen position N never later finds a new event below N. The lock is held once
 * per micro-batch, not once per event.
 */
@Singleton
public class EventStore {

    /** Local event-bus address told the new head position after each commit that appended events. */
    public static final String APPENDED = "stormwatch.appended";

    /** "STORMWAT" as a number: the advisory lock key of the appenders. */
    private static final long APPEND_LOCK = 0x53544f524d574154L;
    private static final String LOCK = "SELECT pg_advisory_xact_lock($1), set_config('synchronous_commit', 'on', true)";
    private static final String HEAD = "SELECT COALESCE(MAX(position), 0) FROM event";

    /** Each stream's version, and for a station stream its latest registration: one trip for the command path. */
    private static final String STREAM_STATES = """
            SELECT s.id,
                   COALESCE((SELECT e.stream_version FROM event e WHERE e.stream_id = s.id
                             ORDER BY e.stream_version DESC LIMIT 1), 0) AS version,
                   CASE WHEN s.id LIKE 'station-%' THEN
                       (SELECT e.payload::text FROM event e WHERE e.stream_id = s.id AND e.type = 'StationRegistered'
                        ORDER BY e.stream_version DESC LIMIT 1) END AS registration
            FROM unnest($1::text[]) AS s(id)""";

    /** The newest event of each stream among some types (rule and alert streams are short). */
    private static final String LATEST_OF_TYPES = """
            SELECT s.id, e.type, e.payload::text
            FROM unnest($1::text[]) AS s(id)
            JOIN LATERAL (SELECT type, payload FROM event
                          WHERE stream_id = s.id AND type = ANY($2::text[])
                          ORDER BY stream_version DESC LIMIT 1) e ON true""";

    private final EventCodec codec;

    public EventStore(EventCodec codec) {
        this.codec = codec;
    }

    /**
     * Serializes appenders until the caller's transaction ends, then gives the head position.
     * <p>
     * The lock and the head are two statements sent together, in one round trip: PostgreSQL runs a connection's
     * statements in order and each takes its snapshot when it starts, so the head is read once the lock is held,
     * and sees what the last holder committed. Statements the caller sends right after this (subscribing to them
     * before this completes) are read under the lock the same way.
     * <p>
     * A transaction that appends waits for the WAL flush when it commits, whatever it set before: the store is the
     * source of truth. The same statement turns the flush on, for transactions that run without it otherwise (an
     * event handler's, which the alert evaluator appends in).
     */
    public Uni<Long> lockAppends(StoreTransaction tx) {
        return Uni.combine().all().unis(tx.update(LOCK, APPEND_LOCK), tx.rows(HEAD))
                .with((locked, rows) -> ((Number) rows.getFirst()[0]).longValue());
    }

    /** The newest event of each stream that has one of {@code types}, decoded. */
    public Uni<Map<String, Event>> latestOfTypes(StoreTransaction tx, Collection<String> streamIds,
            Collection<String> types) {
        if (streamIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return tx.rows(LATEST_OF_TYPES, streamIds.toArray(String[]::new), types.toArray(String[]::new))
                .map(rows -> {
                    Map<String, Event> latest = new HashMap<>();
                    for (Object[] row : rows) {
                        latest.put((String) row[0], codec.fromJson((String) row[1], (String) row[2]));
                    }
                    return latest;
                });
    }

    /**
     * Each stream's current version (0 for a stream with no events) and, for a station stream that has one, its
     * latest StationRegistered payload (served by the partial index event_station_registered).
     */
    public record StreamStates(Map<String, Long> versions, Map<String, String> registrations) {

        /** These and {@code more}'s streams together. */
        public StreamStates with(StreamStates more) {
            Map<String, Long> allVersions = new HashMap<>(versions);
            allVersions.putAll(more.versions);
            Map<String, String> allRegistrations = new HashMap<>(registrations);
            allRegistrations.putAll(more.registrations);
            return new StreamStates(allVersions, allRegistrations);
        }
    }

    public Uni<StreamStates> streamStates(StoreTransaction tx, Collection<String> streamIds) {
        if (streamIds.isEmpty()) {
            return Uni.createFrom().item(new StreamStates(new HashMap<>(), new HashMap<>()));
        }
        return tx.rows(STREAM_STATES, (Object) streamIds.toArray(String[]::new)).map(rows -> {
            Map<String, Long> versions = new HashMap<>();
            Map<String, String> registrations = new HashMap<>();
            for (Object[] row : rows) {
                versions.put((String) row[0], ((Number) row[1]).longValue());
                if (row[2] != null) {
                    registrations.put((String) row[0], (String) row[2]);
                }
            }
            return new StreamStates(versions, registrations);
        });
    }

    /** Appends, and gives the events as the store will serve them once the caller's transaction commits. */
    public Uni<List<RecordedEvent>> append(StoreTransaction tx, List<NewEvent> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<RecordedEvent> rows = new ArrayList<>(events.size());
        String lastMetadataJson = null;
        EventMetadata lastMetadata = null;
        for (NewEvent event : events) {
            // The events of one command share its metadata: written once for a batch of observations.
            String metadataJson = event.metadata() == lastMetadata ? lastMetadataJson : codec.toJson(event.metadata());
            rows.add(new RecordedEvent(event.position(), EventIds.next(), event.event().streamId(),
                    event.streamVersion(), event.event().type(), codec.toJson(event.event()), metadataJson, null,
                    event.event()));
            lastMetadata = event.metadata();
            lastMetadataJson = metadataJson;
        }
        return tx.append(rows).map(recordedAt -> rows.stream().map(row -> row.at(recordedAt)).toList());
    }
}

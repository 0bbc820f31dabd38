package io.stormwatch.eventstore;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.ColumnTransformer;
import org.hibernate.annotations.Immutable;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;

/**
 * The event table as a Panache entity: what the read paths outside a transaction (the HTTP event pages and live
 * tails' catch-up, an alert's history) read events through, and what the entity append path
 * ({@link SessionTransaction}) inserts. Immutable: an event is appended once and never changes. The JSON columns are
 * read as text, served as stored, and written as the text the codec made (a parameter the database takes for jsonb
 * would be sent as a JSON string, hence the cast through text).
 */
@Entity
@Table(name = "event")
@Immutable
public class StoredEvent extends PanacheEntityBase {

    @Id
    public long position;

    @Column(name = "event_id")
    public UUID eventId;

    @Column(name = "stream_id")
    public String streamId;

    @Column(name = "stream_version")
    public long streamVersion;

    public String type;

    @ColumnTransformer(read = "payload::text", write = "cast(cast(? as text) as jsonb)")
    public String payload;

    @ColumnTransformer(read = "metadata::text", write = "cast(cast(? as text) as jsonb)")
    public String metadata;

    @Column(name = "recorded_at")
    public OffsetDateTime recordedAt;

    static StoredEvent of(RecordedEvent event, OffsetDateTime recordedAt) {
        StoredEvent stored = new StoredEvent();
        stored.position = event.position();
        stored.eventId = event.eventId();
        stored.streamId = event.streamId();
        stored.streamVersion = event.streamVersion();
        stored.type = event.type();
        stored.payload = event.payload();
        stored.metadata = event.metadata();
        stored.recordedAt = recordedAt;
        return stored;
    }

    public RecordedEvent recorded() {
        return new RecordedEvent(position, eventId, streamId, streamVersion, type, payload, metadata, recordedAt);
    }

    /** At most {@code limit} events after {@code position} that match {@code filter}, in position order. */
    public static Uni<List<RecordedEvent>> after(long position, EventFilter filter, int limit) {
        List<String> where = new ArrayList<>(List.of("position > :position"));
        Parameters parameters = Parameters.with("position", position);
        if (!filter.types().isEmpty()) {
            where.add("type in :types");
            parameters.and("types", filter.types());
        }
        if (filter.streamId() != null) {
            where.add("streamId = :stream");
            parameters.and("stream", filter.streamId());
        }
        return StoredEvent.<StoredEvent>find(String.join(" and ", where), Sort.by("position"), parameters)
                .range(0, limit - 1).list().map(StoredEvent::records);
    }

    /** The events of one stream of the given types (all when empty) before {@code beforePosition}, in order. */
    public static Uni<List<RecordedEvent>> stream(String streamId, List<String> types, long beforePosition) {
        String where = "streamId = :stream and position < :before" + (types.isEmpty() ? "" : " and type in :types");
        Parameters parameters = Parameters.with("stream", streamId).and("before", beforePosition);
        if (!types.isEmpty()) {
            parameters.and("types", types);
        }
        return StoredEvent.<StoredEvent>find(where, Sort.by("streamVersion"), parameters).list()
                .map(StoredEvent::records);
    }

    private static List<RecordedEvent> records(List<StoredEvent> events) {
        return events.stream().map(StoredEvent::recorded).toList();
    }
}

package io.stormwatch.eventstore;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;

/** A row of the event log, as the read side sees it. Appends go through {@link EventStore}. */
@Entity
@Table(name = "event")
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

    @JdbcTypeCode(SqlTypes.JSON)
    public String payload;

    @JdbcTypeCode(SqlTypes.JSON)
    public String metadata;

    @Column(name = "recorded_at")
    public OffsetDateTime recordedAt;

    public RecordedEvent toRecorded() {
        return new RecordedEvent(position, eventId, streamId, streamVersion, type, payload, metadata, recordedAt);
    }

    /** Events after {@code position}, in position order. */
    public static Uni<List<StoredEvent>> after(long position, int limit) {
        return find("position > ?1", Sort.by("position"), position).range(0, limit - 1).list();
    }
}

package io.stormwatch.eventstore;

import java.time.OffsetDateTime;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonRawValue;

import io.stormwatch.api.Event;

/**
 * One committed entry of the event log; payload and metadata are the stored JSON, served as they are. An event this
 * service appended also carries the {@link Event} it was written from ({@code decoded}), so that the handlers fed
 * from {@link RecentEvents} do not parse it again; read from the store, it is null ({@link EventCodec#decode}).
 */
public record RecordedEvent(long position, UUID eventId, String streamId, long streamVersion, String type,
        @JsonRawValue String payload, @JsonRawValue String metadata, OffsetDateTime recordedAt,
        @JsonIgnore Event decoded) {

    /** As read from the store. */
    public RecordedEvent(long position, UUID eventId, String streamId, long streamVersion, String type, String payload,
            String metadata, OffsetDateTime recordedAt) {
        this(position, eventId, streamId, streamVersion, type, payload, metadata, recordedAt, null);
    }

    /** This event as committed at {@code time} (an append knows its recorded time only from the database). */
    RecordedEvent at(OffsetDateTime time) {
        return new RecordedEvent(position, eventId, streamId, streamVersion, type, payload, metadata, time, decoded);
    }
}

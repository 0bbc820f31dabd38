package io.stormwatch.eventstore;

import java.time.OffsetDateTime;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonRawValue;

/** One committed entry of the event log; payload and metadata are the stored JSON, served as they are. */
public record RecordedEvent(long position, UUID eventId, String streamId, long streamVersion, String type,
        @JsonRawValue String payload, @JsonRawValue String metadata, OffsetDateTime recordedAt) {
}

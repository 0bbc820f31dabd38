package io.stormwatch.query;

import java.time.OffsetDateTime;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonRawValue;

/** One entry of the event log as served over HTTP; payload and metadata are the stored JSON. */
public record EventView(long position, UUID eventId, String streamId, long streamVersion, String type,
        @JsonRawValue String payload, @JsonRawValue String metadata, OffsetDateTime recordedAt) {
}

package io.stormwatch.eventstore;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Why an event exists: the command that caused it, the conversation it belongs to, and where it came from. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EventMetadata(String commandId, String correlationId, String causationId, String source) {
}

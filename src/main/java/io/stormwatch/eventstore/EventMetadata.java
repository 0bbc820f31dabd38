package io.stormwatch.eventstore;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Why an event exists: the command that caused it, the conversation it belongs to, where it came from, and the
 * W3C trace context of the step that appended it ({@code traceparent}, when there is a trace).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EventMetadata(String commandId, String correlationId, String causationId, String source,
        String traceparent) {

    private static final String TRACEPARENT_FIELD = "\"traceparent\":";

    /** The traceparent in stored metadata JSON, or null; read without parsing (the value never holds a quote). */
    public static String traceparentOf(String metadataJson) {
        int field = metadataJson == null ? -1 : metadataJson.indexOf(TRACEPARENT_FIELD);
        if (field < 0) {
            return null;
        }
        int open = metadataJson.indexOf('"', field + TRACEPARENT_FIELD.length());
        int close = open < 0 ? -1 : metadataJson.indexOf('"', open + 1);
        return close < 0 ? null : metadataJson.substring(open + 1, close);
    }
}

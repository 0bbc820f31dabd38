package io.stormwatch.query;

import java.time.OffsetDateTime;

import com.fasterxml.jackson.annotation.JsonInclude;

/** One alert as the read model holds it: its latest picture and the times of its lifecycle. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AlertView(String alertId, String stationId, String ruleId, String event, String severity,
        String urgency, String metric, String operator, double threshold, double clearThreshold, double value,
        OffsetDateTime onset, OffsetDateTime expires, String state, OffsetDateTime raisedAt, OffsetDateTime updatedAt,
        OffsetDateTime clearedAt, String clearReason, Acknowledgement acknowledgement) {

    public record Acknowledgement(String by, OffsetDateTime at, String note) {
    }
}

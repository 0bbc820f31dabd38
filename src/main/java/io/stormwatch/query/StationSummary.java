package io.stormwatch.query;

import java.time.Instant;

/** A station in the list: its details, how many observations it has, and when it last observed. */
public record StationSummary(String stationId, String name, double latitude, double longitude, Double elevationM,
        long observationCount, Instant latestObservedAt) {
}

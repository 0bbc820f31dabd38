package io.stormwatch.query;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

/** One station with its latest observation (null until it has one). */
public record StationDetails(String stationId, String name, double latitude, double longitude, Double elevationM,
        long observationCount, Latest latest) {

    /** Every measured field of the observation with the newest observedAt. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Latest(Instant observedAt, Double temperatureC, Double humidityPct, Double windSpeedMs,
            Double windGustMs, Double pressureHpa, Double precipitationMm) {
    }
}

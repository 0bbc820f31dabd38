package io.stormwatch.api;

import java.time.Instant;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotNull;

/** One set of measurements from one station at one instant. SI units, named in each field. */
public record Observation(
        @NotNull(message = "is required") @StationIdFormat String stationId,
        @NotNull(message = "is required") Instant observedAt,
        @NotNull(message = "is required")
        @DecimalMin(value = "-90", message = "must be between -90 and 60")
        @DecimalMax(value = "60", message = "must be between -90 and 60") Double temperatureC,
        @NotNull(message = "is required")
        @DecimalMin(value = "0", message = "must be between 0 and 100")
        @DecimalMax(value = "100", message = "must be between 0 and 100") Double humidityPct,
        @NotNull(message = "is required")
        @DecimalMin(value = "0", message = "must be between 0 and 120")
        @DecimalMax(value = "120", message = "must be between 0 and 120") Double windSpeedMs,
        @DecimalMin(value = "0", message = "must be between 0 and 150")
        @DecimalMax(value = "150", message = "must be between 0 and 150") Double windGustMs,
        @DecimalMin(value = "850", message = "must be between 850 and 1100")
        @DecimalMax(value = "1100", message = "must be between 850 and 1100") Double pressureHpa,
        @DecimalMin(value = "0", message = "must be between 0 and 500")
        @DecimalMax(value = "500", message = "must be between 0 and 500") Double precipitationMm) {
}

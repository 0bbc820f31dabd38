package io.stormwatch.api;

import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * The commands a station or an operator sends to {@code weather.commands}. On the wire each is a JSON object
 * with a {@code type} field naming the record, and an optional {@code commandId} (the idempotency key).
 */
public sealed interface Command {

    /** Largest batch accepted in one {@link RecordObservations}. */
    int MAX_BATCH = 1000;

    String commandId();

    /** Every command type, by the name a message gives in its {@code type} field. */
    static List<String> typeNames() {
        return Arrays.stream(Command.class.getPermittedSubclasses()).map(Class::getSimpleName).toList();
    }

    @JsonProperty("type")
    default String type() {
        return getClass().getSimpleName();
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record RegisterStation(
            String commandId,
            @NotNull(message = "is required") @StationIdFormat String stationId,
            @NotBlank(message = "is required") @Size(max = 200, message = "must be at most 200 characters") String name,
            @NotNull(message = "is required")
            @DecimalMin(value = "-90", message = "must be between -90 and 90")
            @DecimalMax(value = "90", message = "must be between -90 and 90") Double latitude,
            @NotNull(message = "is required")
            @DecimalMin(value = "-180", message = "must be between -180 and 180")
            @DecimalMax(value = "180", message = "must be between -180 and 180") Double longitude,
            @DecimalMin(value = "-500", message = "must be between -500 and 9000")
            @DecimalMax(value = "9000", message = "must be between -500 and 9000") Double elevationM)
            implements Command {
    }

    /** On the wire the observation's fields sit beside {@code type} and {@code commandId}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record RecordObservation(String commandId, @JsonUnwrapped @Valid @NotNull(message = "is required")
            Observation observation) implements Command {
    }

    /** A batch, as gateways send; it is accepted or rejected as a whole. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record RecordObservations(
            String commandId,
            @NotEmpty(message = "must not be empty")
            @Size(max = MAX_BATCH, message = "must hold at most " + MAX_BATCH + " observations")
            List<@Valid @NotNull(message = "is required") Observation> observations) implements Command {
    }

    /** A rule is data: defining it again with the same ruleId replaces it. Enumerations are checked by the domain. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record DefineAlertRule(
            String commandId,
            @NotNull(message = "is required") @StationIdFormat String ruleId,
            @NotBlank(message = "is required") @Size(max = 200, message = "must be at most 200 characters") String name,
            @NotNull(message = "is required") String metric,
            @NotNull(message = "is required") String operator,
            @NotNull(message = "is required") Double threshold,
            Double clearThreshold,
            @Min(value = 0, message = "must be between 0 and 604800")
            @Max(value = 604800, message = "must be between 0 and 604800") Long forSeconds,
            @NotNull(message = "is required") String severity,
            String urgency,
            @Min(value = 1, message = "must be between 1 and 2592000")
            @Max(value = 2592000, message = "must be between 1 and 2592000") Long expiresAfterSeconds,
            @Size(max = 1000, message = "must hold at most 1000 station ids")
            List<@StationIdFormat String> stationIds) implements Command {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record RemoveAlertRule(String commandId, @NotNull(message = "is required") @StationIdFormat String ruleId)
            implements Command {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record AcknowledgeAlert(
            String commandId,
            @NotBlank(message = "is required") @Size(max = 100, message = "must be at most 100 characters") String alertId,
            @NotBlank(message = "is required") @Size(max = 200, message = "must be at most 200 characters") String by,
            @Size(max = 2000, message = "must be at most 2000 characters") String note) implements Command {
    }
}

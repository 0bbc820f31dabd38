package io.stormwatch.api;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.annotation.JsonIgnore;
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

    /**
     * What it asks for, in words: a refusal reads "sender X may not {action}", followed by the station for a
     * {@link StationCommand}.
     */
    @JsonIgnore
    String action();

    /** Every command record, found through the sealed hierarchy: a new record is listed with no change here. */
    static List<Class<? extends Command>> types() {
        return records(Command.class).toList();
    }

    /** Every command type, by the name a message gives in its {@code type} field. */
    static List<String> typeNames() {
        return types().stream().map(Class::getSimpleName).toList();
    }

    @SuppressWarnings("unchecked")
    private static Stream<Class<? extends Command>> records(Class<?> type) {
        return type.isRecord() ? Stream.of((Class<? extends Command>) type)
                : Arrays.stream(type.getPermittedSubclasses()).flatMap(Command::records);
    }

    /** The commands about stations and what they measure, decided by {@code domain.Stations}. */
    sealed interface StationCommand extends Command {

        /** The stations it is about, each once. */
        @JsonIgnore
        List<String> stationIds();
    }

    /** The commands about alert rules and alerts, decided by {@code domain.AlertRules}; an operator's. */
    sealed interface AlertCommand extends Command {

        /** The one stream it is decided against: the rule's or the alert's. */
        @JsonIgnore
        String streamId();
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
            implements StationCommand {

        @Override
        public List<String> stationIds() {
            return List.of(stationId);
        }

        @Override
        public String action() {
            return "register station";
        }
    }

    /** On the wire the observation's fields sit beside {@code type} and {@code commandId}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record RecordObservation(String commandId, @JsonUnwrapped @Valid @NotNull(message = "is required")
            Observation observation) implements StationCommand {

        @Override
        public List<String> stationIds() {
            return List.of(observation.stationId());
        }

        @Override
        public String action() {
            return "record observations for";
        }
    }

    /** A batch, as gateways send; it is accepted or rejected as a whole. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record RecordObservations(
            String commandId,
            @NotEmpty(message = "must not be empty")
            @Size(max = MAX_BATCH, message = "must hold at most " + MAX_BATCH + " observations")
            List<@Valid @NotNull(message = "is required") Observation> observations) implements StationCommand {

        @Override
        public List<String> stationIds() {
            return observations.stream().map(Observation::stationId).distinct().toList();
        }

        @Override
        public String action() {
            return "record observations for";
        }
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
            List<@StationIdFormat String> stationIds) implements AlertCommand {

        @Override
        public String streamId() {
            return Event.ruleStream(ruleId);
        }

        @Override
        public String action() {
            return "define alert rules";
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record RemoveAlertRule(String commandId, @NotNull(message = "is required") @StationIdFormat String ruleId)
            implements AlertCommand {

        @Override
        public String streamId() {
            return Event.ruleStream(ruleId);
        }

        @Override
        public String action() {
            return "remove alert rules";
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record AcknowledgeAlert(
            String commandId,
            @NotBlank(message = "is required") @Size(max = 100, message = "must be at most 100 characters") String alertId,
            @NotBlank(message = "is required") @Size(max = 200, message = "must be at most 200 characters") String by,
            @Size(max = 2000, message = "must be at most 2000 characters") String note) implements AlertCommand {

        @Override
        public String streamId() {
            return Event.alertStream(alertId);
        }

        @Override
        public String action() {
            return "acknowledge alerts";
        }
    }
}

package io.stormwatch.command;

import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.inject.Singleton;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import io.stormwatch.api.Command.RecordObservation;
import io.stormwatch.api.Command.RecordObservations;
import io.stormwatch.api.Command;
import io.stormwatch.api.Observation;
import io.stormwatch.platform.JsonErrors;

/**
 * JSON text to a valid {@link Command}, or a readable error naming the field: the same for every transport.
 */
@Singleton
public class CommandDecoder {

    /** A decoded command, or why there is none; the commandId is kept whenever the body had one. */
    public record Decoded(String commandId, Command command, String error) {
    }

    static final String TYPES = String.join(", ", Command.typeNames());
    /** Each command record by its type name, from the sealed hierarchy. */
    private static final Map<String, Class<? extends Command>> COMMAND_TYPES = Command.types().stream()
            .collect(Collectors.toUnmodifiableMap(Class::getSimpleName, type -> type));
    private static final int MAX_COMMAND_ID = 200;

    private static final QuickCheck<Observation> QUICK_OBSERVATION = Objects.requireNonNull(
            QuickCheck.of(Observation.class), "Observation has a constraint QuickCheck does not know");

    private final ObjectMapper mapper;
    private final Validator validator;
    private final ObjectReader batches;
    private final ObjectReader observations;

    public CommandDecoder(ObjectMapper mapper, Validator validator) {
        this.mapper = mapper;
        this.validator = validator;
        this.batches = mapper.readerFor(RecordObservations.class);
        this.observations = mapper.readerFor(Observation.class);
    }

    public Decoded decode(String json) {
        if (json.contains("\\u0000")) {
            return new Decoded(null, null, "a command must not contain NUL characters (\\u0000)");
        }
        Decoded valid = quickly(json);
        return valid != null ? valid : diagnose(json);
    }

    /**
     * The observation commands, parsed once into their records and checked by {@link QuickCheck}: a valid command,
     * or null for anything else, which {@link #diagnose} then decodes as any command, with the error it has.
     */
    Decoded quickly(String json) {
        String type = null;
        String commandId = null;
        try (JsonParser parser = mapper.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (field.equals("type")) {
                    if (value != JsonToken.VALUE_STRING) {
                        return null;
                    }
                    type = parser.getText();
                } else if (field.equals("commandId")) {
                    if (value != JsonToken.VALUE_STRING && value != JsonToken.VALUE_NULL) {
                        return null;
                    }
                    commandId = value == JsonToken.VALUE_NULL ? null : parser.getText();
                } else {
                    parser.skipChildren();
                }
            }
            if (parser.currentToken() != JsonToken.END_OBJECT || parser.nextToken() != null) {
                return null;
            }
            if (commandId != null && (commandId.isBlank() || commandId.length() > MAX_COMMAND_ID)) {
                return null;
            }
            Class<? extends Command> recordType = type == null ? null : COMMAND_TYPES.get(type);
            Command command = null;
            if (recordType == RecordObservations.class) {
                command = batches.readValue(json) instanceof RecordObservations batch && validBatch(batch) ? batch : null;
            } else if (recordType == RecordObservation.class) {
                command = observations.readValue(json) instanceof Observation observation
                        && QUICK_OBSERVATION.certainlyValid(observation) ? new RecordObservation(commandId, observation)
                        : null;
            }
            return command == null ? null : new Decoded(commandId, command, null);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static boolean validBatch(RecordObservations batch) {
        List<Observation> list = batch.observations();
        if (list == null || list.isEmpty() || list.size() > Command.MAX_BATCH) {
            return false;
        }
        for (Observation observation : list) {
            if (observation == null || !QUICK_OBSERVATION.certainlyValid(observation)) {
                return false;
            }
        }
        return true;
    }

    /** Decodes any command, valid or not, and words what is wrong with it. */
    Decoded diagnose(String json) {
        JsonNode tree;
        try {
            tree = mapper.readTree(json);
        } catch (JsonProcessingException e) {
            return new Decoded(null, null, "malformed JSON: " + e.getOriginalMessage());
        }
        if (tree == null || !tree.isObject()) {
            return new Decoded(null, null, "a command must be a JSON object");
        }
        JsonNode idNode = tree.get("commandId");
        if (idNode != null && !idNode.isNull() && (!idNode.isTextual() || idNode.asText().isBlank()
                || idNode.asText().length() > MAX_COMMAND_ID)) {
            return new Decoded(null, null, "commandId must be a non-blank string of at most " + MAX_COMMAND_ID
                    + " characters");
        }
        String commandId = idNode == null || idNode.isNull() ? null : idNode.asText();
        JsonNode typeNode = tree.get("type");
        if (typeNode == null || !typeNode.isTextual()) {
            return new Decoded(commandId, null, "type is required (one of " + TYPES + ")");
        }
        try {
            // The type names are the sealed interface's records: a new command type is decoded with no change here.
            Class<? extends Command> type = COMMAND_TYPES.get(typeNode.asText());
            if (type == null) {
                return new Decoded(commandId, null, "unknown command type '" + typeNode.asText() + "' (expected one of "
                        + TYPES + ")");
            }
            // The one whose fields sit beside type on the wire (@JsonUnwrapped, which a record cannot be read with).
            Command command = type == RecordObservation.class
                    ? new RecordObservation(commandId, mapper.treeToValue(tree, Observation.class))
                    : mapper.treeToValue(tree, type);
            String invalid = violations(validator.validate(command));
            return invalid == null ? new Decoded(commandId, command, null) : new Decoded(commandId, null, invalid);
        } catch (MismatchedInputException e) {
            return new Decoded(commandId, null, JsonErrors.describe(e));
        } catch (JsonProcessingException e) {
            return new Decoded(commandId, null, "invalid command: " + e.getOriginalMessage());
        }
    }

    private static String violations(Set<ConstraintViolation<Command>> violations) {
        if (violations.isEmpty()) {
            return null;
        }
        return violations.stream()
                .map(v -> fieldPath(v.getPropertyPath().toString()) + " " + v.getMessage())
                .sorted(Comparator.naturalOrder())
                .collect(Collectors.joining("; "));
    }

    /** RecordObservation's fields are flat on the wire, so its component name is not part of the path. */
    private static String fieldPath(String path) {
        return path.replace(".<list element>", "").replaceFirst("^observation\\.", "");
    }
}

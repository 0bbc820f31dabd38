package io.stormwatch.command;

import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.inject.Singleton;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import io.stormwatch.api.Command.RecordObservation;
import io.stormwatch.api.Command;
import io.stormwatch.api.Observation;
import io.stormwatch.platform.JsonErrors;

/**
 * JSON text to a valid {@link Command}, or a readable error naming the field: the same for every transport. Valid
 * observation commands, nearly all of the traffic, take {@link QuickDecoder}'s path; anything else is decoded as a
 * tree and validated, and the error words what is wrong.
 */
@Singleton
public class CommandDecoder {

    /** A decoded command, or why there is none; the commandId is kept whenever the body had one. */
    public record Decoded(String commandId, Command command, String error) {
    }

    static final String TYPES = String.join(", ", Command.typeNames());
    /** Each command record by its type name, from the sealed hierarchy. */
    static final Map<String, Class<? extends Command>> COMMAND_TYPES = Command.types().stream()
            .collect(Collectors.toUnmodifiableMap(Class::getSimpleName, type -> type));
    static final int MAX_COMMAND_ID = 200;

    private final ObjectMapper mapper;
    private final Validator validator;
    private final QuickDecoder quick;

    public CommandDecoder(ObjectMapper mapper, Validator validator) {
        this.mapper = mapper;
        this.validator = validator;
        this.quick = new QuickDecoder(mapper);
    }

    public Decoded decode(String json) {
        if (json.contains("\\u0000")) {
            return new Decoded(null, null, "a command must not contain NUL characters (\\u0000)");
        }
        Decoded valid = quick.decode(json);
        return valid != null ? valid : diagnose(json);
    }

    /** The quick path alone: a valid observation command, or null. */
    Decoded quickly(String json) {
        return quick.decode(json);
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

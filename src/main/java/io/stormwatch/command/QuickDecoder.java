package io.stormwatch.command;

import java.io.IOException;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

import io.stormwatch.api.Command;
import io.stormwatch.api.Command.RecordObservation;
import io.stormwatch.api.Command.RecordObservations;
import io.stormwatch.api.Observation;
import io.stormwatch.command.CommandDecoder.Decoded;

/** The quick path of {@link CommandDecoder}: no tree and no validator, for nearly all of the traffic. */
final class QuickDecoder {

    private static final QuickCheck<Observation> QUICK_OBSERVATION = Objects.requireNonNull(
            QuickCheck.of(Observation.class), "Observation has a constraint QuickCheck does not know");

    private final ObjectMapper mapper;
    private final ObjectReader batches;
    private final ObjectReader observations;

    QuickDecoder(ObjectMapper mapper) {
        this.mapper = mapper;
        this.batches = mapper.readerFor(RecordObservations.class);
        this.observations = mapper.readerFor(Observation.class);
    }

    /**
     * The observation commands, parsed once into their records and checked by {@link QuickCheck}: a valid command,
     * or null for anything else, which {@link CommandDecoder#diagnose} then decodes as any command, with the error
     * it has.
     */
    Decoded decode(String json) {
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
            if (commandId != null && (commandId.isBlank() || commandId.length() > CommandDecoder.MAX_COMMAND_ID)) {
                return null;
            }
            Class<? extends Command> recordType = type == null ? null : CommandDecoder.COMMAND_TYPES.get(type);
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
}

package io.stormwatch.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.quarkus.test.junit.QuarkusTest;
import io.stormwatch.api.Command.RecordObservations;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The quick path (one parse, {@link QuickCheck}) decides exactly as the full one (a tree, then the validator): the
 * same command for a valid body, and the full path's error for every other.
 */
@QuarkusTest
class CommandDecoderTest {

    private static final String OBSERVATION = """
            "stationId": "OSLO-1", "observedAt": "2026-11-27T07:00:00Z", "temperatureC": 3.5, "humidityPct": 81.5,
            "windSpeedMs": 4.2, "windGustMs": 7.9, "pressureHpa": 1009.8, "precipitationMm": 0.4""";

    @Inject
    CommandDecoder decoder;

    static Stream<String> bodies() {
        List<String> bodies = new ArrayList<>(List.of(
                "{\"type\": \"RecordObservation\", \"commandId\": \"c-1\", " + OBSERVATION + "}",
                "{" + OBSERVATION + ", \"type\": \"RecordObservation\"}",
                "{\"type\": \"RecordObservation\", \"commandId\": null, " + OBSERVATION + "}",
                "{\"type\": \"RecordObservation\", \"commandId\": 12, " + OBSERVATION + "}",
                "{\"type\": \"RecordObservation\", \"commandId\": \" \", " + OBSERVATION + "}",
                "{\"type\": \"RecordObservation\", \"commandId\": \"" + "x".repeat(201) + "\", " + OBSERVATION + "}",
                "{\"type\": \"RecordObservation\", \"commandId\": {\"a\": 1}, " + OBSERVATION + "}",
                "{\"type\": [\"RecordObservation\"], " + OBSERVATION + "}",
                "{\"type\": \"RecordObservation\", " + OBSERVATION + ", \"type\": \"RecordObservations\"}",
                "{\"type\": \"RecordObservation\", " + OBSERVATION + ", \"temperatureC\": 99}",
                "{\"type\": \"RecordObservation\", " + OBSERVATION + "} trailing",
                "{\"type\": \"RecordObservation\", " + OBSERVATION + "} {}",
                "{\"type\": \"RecordObservation\", " + OBSERVATION + ", \"extra\": {\"nested\": [1, 2]}}",
                "{\"type\": \"RecordObservation\", \"stationId\": \"OSLO-1\"}",
                "{\"type\": \"RecordObservation\", " + OBSERVATION.replace("3.5", "\"3.5\"") + "}",
                "{\"type\": \"RecordObservation\", " + OBSERVATION.replace("3.5", "\"warm\"") + "}",
                "{\"type\": \"RecordObservation\", " + OBSERVATION.replace("3.5", "1e400") + "}",
                "{\"type\": \"RecordObservation\", " + OBSERVATION.replace("\"OSLO-1\"", "\"-OSLO\"") + "}",
                "{\"type\": \"RecordObservation\", " + OBSERVATION.replace("\"OSLO-1\"", "\"" + "A".repeat(65) + "\"") + "}",
                "{\"type\": \"RecordObservation\", " + OBSERVATION.replace("2026-11-27T07:00:00Z", "yesterday") + "}",
                "{\"type\": \"RecordObservation\", " + OBSERVATION.replace("2026-11-27T07:00:00Z", "2026-11-27T07:00:00.123456789Z") + "}",
                "{\"type\": \"RecordObservation\", " + OBSERVATION.replace(", \"windGustMs\": 7.9", "") + "}",
                "{\"type\": \"RecordObservation\", " + OBSERVATION.replace("\"windGustMs\": 7.9", "\"windGustMs\": null") + "}",
                "{\"type\": \"RecordObservations\", \"commandId\": \"b-1\", \"observations\": []}",
                "{\"type\": \"RecordObservations\", \"observations\": null}",
                "{\"type\": \"RecordObservations\"}",
                "{\"type\": \"RecordObservations\", \"observations\": [null]}",
                "{\"type\": \"RecordObservations\", \"observations\": [{" + OBSERVATION + "}, 7]}",
                "{\"type\": \"RecordObservations\", \"observations\": {\"a\": 1}}",
                "{\"observations\": [{" + OBSERVATION + "}], \"commandId\": \"b-2\", \"type\": \"RecordObservations\"}",
                "{\"type\": \"RecordObservations\", \"observations\": [], \"observations\": [{" + OBSERVATION + "}]}",
                "{\"type\": \"RegisterStation\", \"stationId\": \"OSLO-1\", \"name\": \"Oslo\", \"latitude\": 59.9, "
                        + "\"longitude\": 10.7}",
                "{\"type\": \"Unknown\"}",
                "{\"commandId\": \"c-2\"}",
                "[1, 2]",
                "\"RecordObservation\"",
                "{\"type\": \"RecordObservation\", ",
                ""));
        bodies.add(batch(Stream.generate(() -> "{" + OBSERVATION + "}").limit(1000).toList()));
        bodies.add(batch(Stream.generate(() -> "{" + OBSERVATION + "}").limit(1001).toList()));
        return bodies.stream();
    }

    @ParameterizedTest
    @MethodSource("bodies")
    void decides_as_the_validator_does(String body) {
        assertThat(decoder.decode(body)).isEqualTo(decoder.diagnose(body));
    }

    /** Values at, just inside and just outside every bound, and a few outside the numbers a double holds. */
    @Test
    void decides_as_the_validator_does_at_every_bound() {
        String[][] bounds = {{"temperatureC", "-90", "60"}, {"humidityPct", "0", "100"}, {"windSpeedMs", "0", "120"},
            {"windGustMs", "0", "150"}, {"pressureHpa", "850", "1100"}, {"precipitationMm", "0", "500"}};
        Random random = new Random(7);
        List<JsonObject> observations = new ArrayList<>();
        int accepted = 0;
        for (String[] bound : bounds) {
            for (int side = 1; side <= 2; side++) {
                double at = Double.parseDouble(bound[side]);
                for (double value : new double[] {at, Math.nextUp(at), Math.nextDown(at), at + 1e-9, at - 1e-9,
                        -at, at * 2, random.nextGaussian() * 1000}) {
                    JsonObject observation = new JsonObject("{" + OBSERVATION + "}").put(bound[0], value);
                    String single = observation.copy().put("type", "RecordObservation").encode();
                    CommandDecoder.Decoded decoded = decoder.decode(single);
                    assertThat(decoded).as(single).isEqualTo(decoder.diagnose(single));
                    accepted += decoded.error() == null ? 1 : 0;
                    observations.add(observation);
                }
            }
        }
        assertThat(accepted).as("premise: some are valid, some not").isBetween(1, observations.size() - 1);
        String all = batch(observations.stream().map(JsonObject::encode).toList());
        assertThat(decoder.decode(all)).isEqualTo(decoder.diagnose(all));
        // Each valid one alone in a batch, and the valid ones together.
        List<String> valid = observations.stream().map(JsonObject::encode)
                .filter(o -> decoder.diagnose(batch(List.of(o))).error() == null).toList();
        CommandDecoder.Decoded together = decoder.decode(batch(valid));
        assertThat(together.error()).isNull();
        assertThat(((RecordObservations) together.command()).observations()).hasSize(valid.size());
        assertThat(together).isEqualTo(decoder.diagnose(batch(valid)));
    }

    @Test
    void takes_a_valid_observation_as_it_is_written() {
        CommandDecoder.Decoded decoded = decoder.decode("{\"type\": \"RecordObservation\", \"commandId\": \"c-9\", "
                + OBSERVATION + "}");
        assertThat(decoded.error()).isNull();
        assertThat(decoded.commandId()).isEqualTo("c-9");
        assertThat(decoded.command()).hasToString("RecordObservation[commandId=c-9, observation=Observation["
                + "stationId=OSLO-1, observedAt=2026-11-27T07:00:00Z, temperatureC=3.5, humidityPct=81.5, "
                + "windSpeedMs=4.2, windGustMs=7.9, pressureHpa=1009.8, precipitationMm=0.4]]");
    }

    @Test
    void takes_the_quick_path_for_valid_observations_only() {
        String single = "{\"type\": \"RecordObservation\", " + OBSERVATION + "}";
        String batch = batch(List.of("{" + OBSERVATION + "}", "{" + OBSERVATION + "}"));
        assertThat(decoder.quickly(single)).isNotNull();
        assertThat(decoder.quickly(batch)).isNotNull();
        assertThat(decoder.quickly(single.replace("81.5", "101"))).isNull();
        assertThat(decoder.quickly(batch.replace("81.5", "101"))).isNull();
    }

    private static String batch(List<String> observations) {
        return new JsonObject().put("type", "RecordObservations").put("commandId", "batch")
                .put("observations", new JsonArray(observations.stream().map(JsonObject::new).toList())).encode();
    }
}

package io.stormwatch.amqp;

import static io.stormwatch.support.Commands.newStationId;
import static io.stormwatch.support.Commands.observation;
import static io.stormwatch.support.Commands.register;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.quarkus.test.junit.QuarkusTest;
import io.stormwatch.support.AmqpTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;

/**
 * Each kind of bad command is rejected with an error that names the field or the problem, kept as a dead letter
 * with its raw body, and never stops the stream: the next good command is still executed.
 */
@QuarkusTest
class BadInputTest extends AmqpTest {

    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private static final String STATION = newStationId("BAD");

    @BeforeEach
    void registerStation() {
        amqp.request(register(STATION).encode());
    }

    static Stream<Arguments> badCommands() {
        return Stream.of(
                bad("malformed JSON", s -> "{\"type\": \"RecordObservation\", ", "malformed JSON: "),
                bad("not an object", s -> "[1, 2]", "a command must be a JSON object"),
                bad("no type", s -> without(observation(s, NOW, 1), "type"),
                        "type is required (one of RegisterStation, RecordObservation, RecordObservations,"
                                + " DefineAlertRule, RemoveAlertRule, AcknowledgeAlert)"),
                bad("unknown type", s -> observation(s, NOW, 1).put("type", "Explode").encode(),
                        "unknown command type 'Explode' (expected one of RegisterStation, RecordObservation,"
                                + " RecordObservations, DefineAlertRule, RemoveAlertRule, AcknowledgeAlert)"),
                bad("missing field", s -> without(observation(s, NOW, 1), "temperatureC"),
                        "temperatureC is required"),
                bad("out of range", s -> observation(s, NOW, 1).put("humidityPct", 140).encode(),
                        "humidityPct must be between 0 and 100"),
                bad("too cold", s -> observation(s, NOW, -120).encode(), "temperatureC must be between -90 and 60"),
                bad("negative wind", s -> observation(s, NOW, 1).put("windSpeedMs", -1).encode(),
                        "windSpeedMs must be between 0 and 120"),
                bad("not a time", s -> observation(s, NOW, 1).put("observedAt", "yesterday").encode(),
                        "observedAt must be an ISO-8601 instant such as 2026-11-26T12:00:00Z"),
                bad("not a number", s -> observation(s, NOW, 1).put("temperatureC", "warm").encode(),
                        "temperatureC must be a number"),
                bad("unknown station", s -> observation("NOPE-" + s, NOW, 1).encode(), "unknown station NOPE-"),
                bad("bad latitude", s -> register(s).put("latitude", 95).encode(),
                        "latitude must be between -90 and 90"),
                bad("bad station id", s -> register("has space").encode(),
                        "stationId must be 1-64 letters, digits, '.', '_' or '-'"),
                bad("bad batch item", s -> batch(s).encode(), "observations[1].humidityPct must be between 0 and 100"),
                bad("empty batch", s -> new JsonObject().put("type", "RecordObservations")
                        .put("observations", new JsonArray()).encode(), "observations must not be empty"));
    }

    private static Arguments bad(String name, Function<String, String> body, String error) {
        return Arguments.of(name, body, error);
    }

    private static String without(JsonObject command, String field) {
        command.remove(field);
        return command.encode();
    }

    private static JsonObject batch(String station) {
        JsonArray observations = new JsonArray()
                .add(observation(station, NOW, 1))
                .add(observation(station, NOW, 2).put("humidityPct", 101));
        return new JsonObject().put("type", "RecordObservations").put("observations", observations);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badCommands")
    void is_rejected_dead_lettered_and_the_next_good_command_still_runs(String name, Function<String, String> body,
            String error) {
        String raw = body.apply(STATION);
        String messageId = UUID.randomUUID().toString();
        JsonObject reply = amqp.awaitReply(amqp.send(raw, messageId, true));
        String good = amqp.send(observation(STATION, NOW.minusSeconds(1), 5).encode());

        assertThat(reply.getString("status")).isEqualTo("rejected");
        assertThat(reply.getString("error")).startsWith(error);
        assertThat(amqp.awaitReply(good).getString("status")).isEqualTo("accepted");
        Row letter = sql.row("SELECT reason, body, source FROM dead_letter WHERE message_id = $1", messageId);
        assertThat(letter.getString("reason")).isEqualTo(reply.getString("error"));
        assertThat(letter.getString("body")).isEqualTo(raw);
        assertThat(letter.getString("source")).isEqualTo("amqp:weather.commands");
    }

    @Test
    void a_rejected_command_sent_again_gets_the_same_rejection_and_one_dead_letter() {
        String commandId = UUID.randomUUID().toString();
        String body = observation(STATION, NOW, 1).put("humidityPct", 200).put("commandId", commandId).encode();
        JsonObject first = amqp.request(body);
        JsonObject second = amqp.request(body);

        assertThat(second).isEqualTo(first);
        assertThat(first.getString("error")).isEqualTo("humidityPct must be between 0 and 100");
        assertThat(sql.count("SELECT count(*) FROM dead_letter WHERE command_id = $1", commandId)).isEqualTo(1);
    }

    @Test
    void an_oversized_body_is_rejected_unread_and_the_stream_goes_on() {
        String huge = observation(STATION, NOW, 1).put("name", "x".repeat(1_100_000)).encode();
        JsonObject reply = amqp.request(huge);
        assertThat(reply.getString("status")).isEqualTo("rejected");
        assertThat(reply.getString("error")).isEqualTo("body of " + huge.length()
                + " characters exceeds the limit of 1048576");
        assertThat(amqp.request(observation(STATION, NOW.minusSeconds(2), 5).encode()).getString("status"))
                .isEqualTo("accepted");
    }

    @Test
    void malformed_json_as_an_amqp_string_is_rejected_too() {
        JsonObject reply = amqp.awaitReply(amqp.send("{\"type\": ", UUID.randomUUID().toString(), false));
        assertThat(reply.getString("error")).startsWith("malformed JSON: ");
    }

    @Test
    void a_body_that_is_not_json_text_is_rejected() {
        String messageId = UUID.randomUUID().toString();
        amqp.sendValue(messageId, 42);
        JsonObject reply = amqp.awaitReply(messageId);
        assertThat(reply.getString("status")).isEqualTo("rejected");
        assertThat(reply.getString("error")).isEqualTo(
                "unsupported body: expected JSON text as a data section or a string value, got an AMQP AmqpValue");
    }

    @Test
    void a_body_that_is_not_text_is_rejected() {
        String messageId = UUID.randomUUID().toString();
        amqp.sendRaw(messageId, new byte[] {(byte) 0xC3, 0x28, 0x00, 0x7F});
        JsonObject reply = amqp.awaitReply(messageId);
        assertThat(reply.getString("status")).isEqualTo("rejected");
        assertThat(reply.getString("error")).startsWith("malformed JSON");
    }
}

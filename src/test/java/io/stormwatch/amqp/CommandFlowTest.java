package io.stormwatch.amqp;

import static io.restassured.RestAssured.given;
import static io.stormwatch.support.Commands.newStationId;
import static io.stormwatch.support.Commands.observation;
import static io.stormwatch.support.Commands.register;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkus.test.junit.QuarkusTest;
import io.stormwatch.support.AmqpTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Commands in through a real broker, events in the real event store, the station view out over HTTP. */
@QuarkusTest
class CommandFlowTest extends AmqpTest {

    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    @Test
    void a_command_gets_its_reply_and_the_query_then_shows_the_observation() {
        String station = newStationId("OSLO");
        JsonObject registered = amqp.request(register(station).encode());
        assertThat(registered.getString("status")).isEqualTo("accepted");
        assertThat(registered.getLong("position")).isPositive();

        JsonObject command = observation(station, NOW.minusSeconds(60), -3.5);
        JsonObject recorded = amqp.request(command.encode());
        assertThat(recorded.getString("status")).isEqualTo("accepted");
        assertThat(recorded.getString("commandId")).isEqualTo(command.getString("commandId"));
        assertThat(recorded.getLong("position")).isGreaterThan(registered.getLong("position"));

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().get("/api/stations/{id}", station)
                .then().statusCode(200)
                .body("observationCount", equalTo(1))
                .body("latest.observedAt", equalTo(NOW.minusSeconds(60).toString()))
                .body("latest.temperatureC", equalTo(-3.5f))
                .body("latest.humidityPct", equalTo(81.5f))
                .body("latest.windSpeedMs", equalTo(4.2f))
                .body("latest.windGustMs", equalTo(7.9f))
                .body("latest.pressureHpa", equalTo(1009.8f))
                .body("latest.precipitationMm", equalTo(0.4f)));
        given().get("/api/stations").then().statusCode(200);
    }

    @Test
    void json_as_an_amqp_string_value_is_accepted_as_well_as_a_data_section() {
        String station = newStationId("BERGEN");
        JsonObject reply = amqp.awaitReply(amqp.send(register(station).encode(), UUID.randomUUID().toString(), false));
        assertThat(reply.getString("status")).isEqualTo("accepted");
    }

    /** Sent after the first reply the duplicate meets the command log; sent back to back, usually the same batch. */
    @ParameterizedTest(name = "second sent after the first reply: {0}")
    @ValueSource(booleans = {true, false})
    void the_same_command_twice_gives_one_event_and_a_duplicate_reply(boolean afterFirstReply) {
        String station = newStationId("TROMSO");
        amqp.request(register(station).encode());
        String body = observation(station, NOW.minusSeconds(30), 1.0).encode();
        String firstId = amqp.send(body);
        JsonObject first = afterFirstReply ? amqp.awaitReply(firstId) : null;
        String secondId = amqp.send(body);
        first = first != null ? first : amqp.awaitReply(firstId);
        JsonObject second = amqp.awaitReply(secondId);

        assertThat(first.getString("status")).isEqualTo("accepted");
        assertThat(second.getString("status")).isEqualTo("duplicate");
        assertThat(second.getLong("position")).isEqualTo(first.getLong("position"));
        assertThat(count("SELECT count(*) FROM event WHERE metadata->>'commandId' = $1",
                new JsonObject(body).getString("commandId"))).isEqualTo(1);
    }

    @Test
    void without_a_commandId_the_message_id_is_the_idempotency_key() {
        String station = newStationId("REYKJAVIK");
        amqp.request(register(station).encode());
        JsonObject command = observation(station, NOW.minusSeconds(5), 2.0);
        command.remove("commandId");
        String messageId = UUID.randomUUID().toString();
        JsonObject first = amqp.awaitReply(amqp.send(command.encode(), messageId, true));
        assertThat(first.getString("status")).isEqualTo("accepted");
        assertThat(first.getString("commandId")).isEqualTo(messageId);
        // Sent again under the same message id, as a client retrying after a lost reply does.
        JsonObject second = amqp.awaitReply(amqp.send(command.encode(), messageId, true));
        assertThat(second.getString("status")).isEqualTo("duplicate");
        assertThat(second.getLong("position")).isEqualTo(first.getLong("position"));
        assertThat(count("SELECT count(*) FROM event WHERE metadata->>'commandId' = $1", messageId)).isEqualTo(1);
    }

    @Test
    void a_batch_is_stored_as_one_event_per_observation() {
        String station = newStationId("HELSINKI");
        amqp.request(register(station).encode());
        JsonArray observations = new JsonArray();
        for (int i = 0; i < 5; i++) {
            JsonObject o = observation(station, NOW.minusSeconds(300 - i * 60L), i);
            o.remove("type");
            o.remove("commandId");
            observations.add(o);
        }
        JsonObject reply = amqp.request(new JsonObject().put("type", "RecordObservations")
                .put("commandId", UUID.randomUUID().toString()).put("observations", observations).encode());
        assertThat(reply.getString("status")).isEqualTo("accepted");
        assertThat(count("SELECT count(*) FROM event WHERE stream_id = $1 AND type = 'ObservationRecorded'",
                "station-" + station)).isEqualTo(5);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().get("/api/stations/{id}", station)
                .then().body("observationCount", equalTo(5)).body("latest.temperatureC", equalTo(4.0f)));
    }

    @Test
    void the_event_log_is_served_in_position_order() {
        String station = newStationId("ZURICH");
        long position = amqp.request(register(station).encode()).getLong("position");
        given().queryParam("after", position - 1).queryParam("limit", 1).get("/api/events")
                .then().statusCode(200)
                .body("[0].position", equalTo((int) position))
                .body("[0].streamId", equalTo("station-" + station))
                .body("[0].streamVersion", equalTo(1))
                .body("[0].type", equalTo("StationRegistered"))
                .body("[0].payload.stationId", equalTo(station))
                .body("[0].metadata.source", equalTo("amqp:weather.commands"));
        given().queryParam("limit", 0).get("/api/events").then().statusCode(400)
                .body("error", equalTo("limit must be an integer from 1 to 1000, not '0'"));
        given().queryParam("after", "abc").get("/api/events").then().statusCode(400)
                .body("error", equalTo("after must be an integer from 0 to 9223372036854775807, not 'abc'"));
    }

    @Test
    void an_unknown_station_is_a_404_with_a_json_error() {
        given().get("/api/stations/{id}", "NOWHERE-1").then().statusCode(404)
                .body("error", equalTo("unknown station NOWHERE-1"));
    }

    private long count(String query, String parameter) {
        return sql.count(query, parameter);
    }
}

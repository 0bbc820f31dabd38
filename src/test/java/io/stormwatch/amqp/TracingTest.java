package io.stormwatch.amqp;

import static io.stormwatch.support.Commands.newStationId;
import static io.stormwatch.support.Commands.observation;
import static io.stormwatch.support.Commands.register;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.stormwatch.support.AmqpTest;
import io.stormwatch.support.EventSubscriber;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * One trace from command to event to alert across AMQP: the W3C traceparent a station sends with a command is the
 * trace of the events it caused (stored, and on weather.events) and of the alert they raised (on weather.alerts).
 */
@QuarkusTest
class TracingTest extends AmqpTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private EventSubscriber events;
    private EventSubscriber alerts;

    @BeforeEach
    void subscribe() {
        events = new EventSubscriber(vertx, "weather.events");
        alerts = new EventSubscriber(vertx, "weather.alerts", "position");
    }

    @AfterEach
    void close() {
        events.close();
        alerts.close();
    }

    @Test
    void the_trace_of_a_command_goes_on_in_its_events_and_in_the_alert_they_raise() {
        String station = newStationId("TRACE");
        accepted(register(station), null);
        accepted(new JsonObject().put("type", "DefineAlertRule").put("commandId", UUID.randomUUID().toString())
                .put("ruleId", "trace-" + station.toLowerCase()).put("name", "Heat").put("metric", "temperatureC")
                .put("operator", ">").put("threshold", 30).put("clearThreshold", 28).put("forSeconds", 0)
                .put("severity", "Severe").put("expiresAfterSeconds", 3600)
                .put("stationIds", new JsonArray().add(station)), null);

        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        String parent = "00-" + traceId + "-00f067aa0ba902b7-01";
        long position = accepted(observation(station, Instant.now().minusSeconds(10), 35.0), parent);

        String stored = sql.row("SELECT metadata->>'traceparent' FROM event WHERE position = $1", position)
                .getString(0);
        assertThat(stored).as("stored with the event").startsWith("00-" + traceId + "-");

        events.awaitPositions(java.util.List.of(position), WAIT);
        JsonObject published = events.received().stream().filter(r -> r.position() == position).findFirst()
                .orElseThrow().properties();
        assertThat(published.getString("traceparent")).as("on weather.events").isEqualTo(stored);

        await().atMost(WAIT).until(() -> alerts.received().stream()
                .anyMatch(r -> r.body().contains(station) && r.body().contains("\"msgType\":\"Alert\"")));
        JsonObject alert = alerts.received().stream().filter(r -> r.body().contains(station)).findFirst()
                .orElseThrow().properties();
        assertThat(alert.getString("traceparent")).as("on weather.alerts").startsWith("00-" + traceId + "-");
        String alertStored = sql.row("SELECT metadata->>'traceparent' FROM event WHERE position = $1",
                alert.getLong("position")).getString(0);
        assertThat(alertStored).isEqualTo(alert.getString("traceparent"));
        assertThat(sql.row("SELECT metadata->>'causationId' FROM event WHERE position = $1",
                alert.getLong("position")).getString(0))
                .isEqualTo(sql.row("SELECT event_id::text FROM event WHERE position = $1", position).getString(0));
    }

    @Test
    void a_command_without_a_trace_starts_one_of_its_own() {
        long first = accepted(register(newStationId("TRACE")), null);
        long second = accepted(register(newStationId("TRACE")), null);
        String a = sql.row("SELECT metadata->>'traceparent' FROM event WHERE position = $1", first).getString(0);
        String b = sql.row("SELECT metadata->>'traceparent' FROM event WHERE position = $1", second).getString(0);
        assertThat(a).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]");
        assertThat(b).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]");
        assertThat(a.substring(3, 35)).isNotEqualTo(b.substring(3, 35));
    }

    private long accepted(JsonObject command, String traceparent) {
        JsonObject properties = new JsonObject();
        if (traceparent != null) {
            properties.put("traceparent", traceparent);
        }
        String id = amqp.send(command.encode(), properties);
        JsonObject reply = amqp.awaitReply(id);
        assertThat(reply.getString("status")).as(reply.encode()).isEqualTo("accepted");
        return reply.getLong("position");
    }
}

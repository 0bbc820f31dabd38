package io.stormwatch.rest;

import static io.stormwatch.support.Commands.newStationId;
import static io.stormwatch.support.Commands.observation;
import static io.stormwatch.support.Commands.register;
import static io.stormwatch.support.Management.management;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.stormwatch.support.AmqpTest;
import io.vertx.core.json.JsonObject;

/** The service's own meters at /q/metrics move with what it does. */
@QuarkusTest
class MetricsTest extends AmqpTest {

    private static String metrics() {
        return management().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /** The value of one series (0 when it does not exist yet). */
    private static double value(String text, String name, String... labels) {
        StringBuilder pattern = new StringBuilder("(?m)^" + Pattern.quote(name) + "\\{");
        for (String label : labels) {
            pattern.append("(?=[^}]*").append(Pattern.quote(label)).append(")");
        }
        pattern.append("[^}]*\\} ([0-9.E+-]+)$");
        Matcher m = Pattern.compile(pattern.toString()).matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    @Test
    void commands_events_dead_letters_and_lags_are_measured() {
        String before = metrics();
        String station = newStationId("METRIC");
        assertThat(amqp.request(register(station).encode()).getString("status")).isEqualTo("accepted");
        JsonObject obs = observation(station, Instant.now().minusSeconds(5), 12);
        assertThat(amqp.request(obs.encode()).getString("status")).isEqualTo("accepted");
        assertThat(amqp.request(obs.encode()).getString("status")).isEqualTo("duplicate");
        // Rejected by the domain (a decoded RecordObservation), and rejected before decoding ("invalid").
        assertThat(amqp.request(observation("NOWHERE-" + station, Instant.now(), 12).encode())
                .getString("status")).isEqualTo("rejected");
        assertThat(amqp.request(observation(station, Instant.now(), 12).put("humidityPct", 300).encode())
                .getString("status")).isEqualTo("rejected");

        String after = metrics();
        String accepted = "stormwatch_commands_total";
        assertThat(value(after, accepted, "type=\"RecordObservation\"", "outcome=\"accepted\"")
                - value(before, accepted, "type=\"RecordObservation\"", "outcome=\"accepted\"")).isEqualTo(1);
        assertThat(value(after, accepted, "type=\"RecordObservation\"", "outcome=\"duplicate\"")
                - value(before, accepted, "type=\"RecordObservation\"", "outcome=\"duplicate\"")).isEqualTo(1);
        assertThat(value(after, accepted, "type=\"RecordObservation\"", "outcome=\"rejected\"")
                - value(before, accepted, "type=\"RecordObservation\"", "outcome=\"rejected\"")).isEqualTo(1);
        assertThat(value(after, "stormwatch_events_appended_total", "by=\"command\"")
                - value(before, "stormwatch_events_appended_total", "by=\"command\"")).isEqualTo(2);
        assertThat(value(after, accepted, "type=\"invalid\"", "outcome=\"rejected\"")
                - value(before, accepted, "type=\"invalid\"", "outcome=\"rejected\"")).isEqualTo(1);
        assertThat(value(after, "stormwatch_dead_letters_total", "source=\"commands\"")
                - value(before, "stormwatch_dead_letters_total", "source=\"commands\"")).isEqualTo(2);
        assertThat(after).contains("stormwatch_command_batch_size_count", "stormwatch_command_batch_duration_seconds");
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(metrics())
                .contains("stormwatch_projection_lag_positions{projection=\"stations\"")
                .contains("stormwatch_publication_lag_seconds{publication=\"events\""));
    }
}

package io.stormwatch.packaged;

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

import org.junit.jupiter.api.Test;

import io.stormwatch.support.AmqpClient;
import io.stormwatch.support.JarTest;
import io.stormwatch.support.ServiceProcess;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The packaged service killed (kill -9) in the middle of an alert episode and started again: the alert state is in
 * PostgreSQL, so the breach that continues raises no second alert, and the clear that follows is not missed.
 */
class AlertRestartIT extends JarTest {

    private static final Duration START = Duration.ofSeconds(60);


    @Test
    void a_restart_mid_episode_neither_raises_a_second_alert_nor_misses_the_clear() throws Exception {
        String station = newStationId("RESTART");
        String rule = "heat-" + station.toLowerCase();
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(1));
        int port = ServiceProcess.freePort();
        int managementPort = ServiceProcess.freePort();

        ServiceProcess first = ServiceProcess.start(servers, "alert-restart-first", port, managementPort);
        try (AmqpClient amqp = new AmqpClient(vertx)) {
            accepted(amqp, register(station));
            accepted(amqp, new JsonObject().put("type", "DefineAlertRule").put("ruleId", rule).put("name", "Heat")
                    .put("metric", "temperatureC").put("operator", ">").put("threshold", 30).put("clearThreshold", 28)
                    .put("severity", "Severe").put("stationIds", new JsonArray().add(station)));
            accepted(amqp, observation(station, t0, 31));
            await().atMost(START).untilAsserted(() -> alerts(port, station, "active").body("items.size()",
                    equalTo(1)));
        } finally {
            first.kill();
        }

        ServiceProcess second = ServiceProcess.start(servers, "alert-restart-second", port, managementPort);
        try (AmqpClient amqp = new AmqpClient(vertx)) {
            accepted(amqp, observation(station, t0.plusSeconds(60), 34));   // still breaching: no new alert
            accepted(amqp, observation(station, t0.plusSeconds(120), 25));  // back to safe: the clear
            await().atMost(START).untilAsserted(() -> alerts(port, station, "cleared").body("items.size()",
                    equalTo(1)));
            alerts(port, station, "all").body("items.size()", equalTo(1))
                    .body("items[0].clearReason", equalTo("condition-cleared"));
        } finally {
            second.close();
        }
    }

    private static void accepted(AmqpClient amqp, JsonObject command) {
        JsonObject reply = amqp.request(command.encode());
        assertThat(reply.getString("status")).as(reply.encode()).isEqualTo("accepted");
    }

    private static io.restassured.response.ValidatableResponse alerts(int port, String station, String state) {
        return given().port(port).queryParam("stationId", station).queryParam("state", state).get("/api/alerts")
                .then().statusCode(200);
    }
}

package io.stormwatch.amqp;

import static io.restassured.RestAssured.given;
import static io.stormwatch.support.Management.management;
import static io.stormwatch.support.Commands.newStationId;
import static io.stormwatch.support.Commands.observation;
import static io.stormwatch.support.Commands.register;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.stormwatch.dev.BrokerControl;
import io.stormwatch.support.AmqpClient;
import io.stormwatch.support.BackingServices;
import io.stormwatch.support.Sql;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;

/**
 * The broker goes away and comes back: the command link reports not ready, reconnects by itself, and the
 * commands sent before and after are all executed exactly once.
 */
@QuarkusTest
class BrokerRestartTest {

    @Inject
    Vertx vertx;

    @Inject
    Sql sql;

    @Test
    void the_command_link_comes_back_after_a_broker_restart() {
        Assumptions.assumeFalse(BackingServices.external(), "restarts the embedded broker; an external one is not ours");
        String station = newStationId("RESTART");
        Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(1));
        List<String> commandIds = new ArrayList<>();
        try (AmqpClient amqp = new AmqpClient(vertx)) {
            assertThat(amqp.request(register(station).encode()).getString("status")).isEqualTo("accepted");
            for (int i = 0; i < 50; i++) {
                JsonObject command = observation(station, start.plusSeconds(i), 5);
                commandIds.add(command.getString("commandId"));
                amqp.sendNoReply(command.encode());
            }
        }

        BrokerControl.restart(Duration.ofMillis(1500));
        management().get("/q/health/well").then().body(containsString("commands link"));

        try (AmqpClient amqp = new AmqpClient(vertx)) {
            JsonObject after = observation(station, start.plusSeconds(100), 6);
            commandIds.add(after.getString("commandId"));
            JsonObject reply = amqp.request(after.encode());
            assertThat(reply.getString("status")).isEqualTo("accepted");
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(sql.count("SELECT count(*) FROM event WHERE metadata->>'commandId' = ANY($1)",
                    (Object) commandIds.toArray(String[]::new))).isEqualTo(commandIds.size());
            management().get("/q/health/well").then().statusCode(200).body("status", equalTo("UP"));
        });
    }
}

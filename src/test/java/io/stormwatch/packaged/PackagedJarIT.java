package io.stormwatch.packaged;

import static io.restassured.RestAssured.given;
import static io.stormwatch.support.Commands.newStationId;
import static io.stormwatch.support.Commands.observation;
import static io.stormwatch.support.Commands.register;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.stormwatch.support.AmqpClient;
import io.stormwatch.support.BackingServices;
import io.stormwatch.support.ServiceProcess;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;

/**
 * The packaged jar ({@code java -jar target/quarkus-app/quarkus-run.jar}) pointed at servers through the standard
 * Quarkus keys: it migrates the schema at start, takes a command over AMQP and serves the query. It runs as a process
 * of this class's own, stopped when the class is done, so that it is not one more replica beside the other jar tests'.
 */
class PackagedJarIT {

    private static Vertx vertx;
    private static ServiceProcess service;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        service = ServiceProcess.start(new BackingServices().start(), "packaged-jar");
    }

    @AfterAll
    static void stop() throws InterruptedException {
        service.close();
        vertx.closeAndAwait();
    }

    @Test
    void the_jar_takes_a_command_and_serves_the_query() {
        String station = newStationId("JAR");
        Instant observedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(10);
        try (AmqpClient amqp = new AmqpClient(vertx)) {
            assertThat(amqp.request(register(station).encode()).getString("status")).isEqualTo("accepted");
            assertThat(amqp.request(observation(station, observedAt, 12.5).encode()).getString("status"))
                    .isEqualTo("accepted");
        }
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> given().port(service.port())
                .get("/api/stations/{id}", station)
                .then().statusCode(200)
                .body("observationCount", equalTo(1))
                .body("latest.temperatureC", equalTo(12.5f)));
        given().port(service.managementPort()).get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"));
        // Production has no users until some are configured: the command gateway is closed, the reads are open.
        given().port(service.port()).contentType("application/json").body(register(station).encode())
                .post("/api/commands").then().statusCode(401);
    }

    /** Production logs are JSON lines; one about a command carries its ids and station in the MDC. */
    @Test
    void the_jar_logs_json_with_the_command_in_the_mdc() {
        String station = newStationId("LOG");
        String commandId = "log-" + station;
        try (AmqpClient amqp = new AmqpClient(vertx)) {
            JsonObject reply = amqp.request(observation(station, Instant.now().minusSeconds(5), 1.0)
                    .put("commandId", commandId).encode());
            assertThat(reply.getString("status")).isEqualTo("rejected");
        }
        Path log = Path.of("target", "packaged-jar.log");
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            List<JsonObject> lines = Files.readAllLines(log).stream().filter(l -> l.startsWith("{"))
                    .map(JsonObject::new).toList();
            assertThat(lines).as("JSON log lines").isNotEmpty();
            JsonObject line = lines.stream().filter(l -> l.getString("message", "").contains(commandId))
                    .findFirst().orElseThrow(() -> new AssertionError("no line about " + commandId));
            JsonObject mdc = line.getJsonObject("mdc");
            assertThat(mdc.getString("commandId")).isEqualTo(commandId);
            assertThat(mdc.getString("stationId")).isEqualTo(station);
            assertThat(mdc.getString("correlationId")).isNotBlank();
        });
    }

    /** A production start with no users and no OIDC refuses to run, and says what to set. */
    @Test
    void the_jar_refuses_to_start_with_nobody_able_to_log_in() {
        ServiceProcess.Exited exited = ServiceProcess.run(new BackingServices().start(), "packaged-jar-open",
                Duration.ofSeconds(60));
        assertThat(exited.code()).isNotZero();
        assertThat(exited.output()).contains("No users and no OIDC are configured",
                "QUARKUS_SECURITY_USERS_EMBEDDED_USERS_", "STORMWATCH_SECURITY_REQUIRE_USERS=false");
    }
}

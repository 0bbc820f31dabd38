package io.stormwatch.amqp;

import static io.stormwatch.support.Commands.newStationId;
import static io.stormwatch.support.Commands.observation;
import static io.stormwatch.support.Commands.register;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.stormwatch.support.AmqpClient;
import io.stormwatch.support.BackingServices;
import io.stormwatch.support.Sql;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;

/**
 * The database drops every connection of the service, again and again, while commands stream in: transactions
 * fail, their messages are redelivered, and in the end every command is stored exactly once.
 */
@QuarkusTest
class DatabaseFailureTest {

    private static final int COMMANDS = 300;

    @Inject
    Vertx vertx;

    @Inject
    Sql sql;

    @Test
    void every_command_is_stored_once_although_connections_are_killed_mid_stream() throws Exception {
        String station = newStationId("FLAKY");
        Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(1));
        List<String> commandIds = new ArrayList<>();
        List<String> messageIds = new ArrayList<>();
        try (AmqpClient amqp = new AmqpClient(vertx)) {
            amqp.request(register(station).encode());
            CompletableFuture<Integer> killer = CompletableFuture.supplyAsync(DatabaseFailureTest::killConnections);
            for (int i = 0; i < COMMANDS; i++) {
                JsonObject command = observation(station, start.plusSeconds(i), 10);
                commandIds.add(command.getString("commandId"));
                messageIds.add(amqp.send(command.encode()));
            }
            assertThat(killer.get()).as("connections killed").isPositive();
            for (String messageId : messageIds) {
                assertThat(amqp.awaitReply(messageId).getString("status")).isIn("accepted", "duplicate");
            }
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(sql.count("SELECT count(*) FROM event WHERE stream_id = $1 AND type = 'ObservationRecorded'",
                    "station-" + station)).isEqualTo(COMMANDS);
            assertThat(sql.count("SELECT count(DISTINCT metadata->>'commandId') FROM event WHERE stream_id = $1"
                    + " AND metadata->>'commandId' = ANY($2)", "station-" + station, commandIds.toArray(String[]::new)))
                    .isEqualTo(COMMANDS);
        });
    }

    /** Terminates every other backend of the database five times, 150 ms apart; returns how many it killed. */
    private static int killConnections() {
        Map<String, String> config = BackingServices.current();
        int killed = 0;
        try (Connection connection = DriverManager.getConnection(config.get("quarkus.datasource.jdbc.url"),
                config.get("quarkus.datasource.username"), config.get("quarkus.datasource.password"));
                Statement statement = connection.createStatement()) {
            for (int round = 0; round < 5; round++) {
                try (var rows = statement.executeQuery("""
                        SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity
                        WHERE datname = current_database() AND pid <> pg_backend_pid()""")) {
                    rows.next();
                    killed += rows.getInt(1);
                }
                LockSupport.parkNanos(Duration.ofMillis(150).toNanos());
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not kill connections", e);
        }
        return killed;
    }
}

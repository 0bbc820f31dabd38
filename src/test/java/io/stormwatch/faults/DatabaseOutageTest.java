package io.stormwatch.faults;

import static io.stormwatch.support.Commands.newStationId;
import static io.stormwatch.support.Commands.observation;
import static io.stormwatch.support.Commands.register;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import jakarta.inject.Inject;

import org.jboss.logging.Logger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.stormwatch.support.AmqpClient;
import io.stormwatch.support.BackingServices;
import io.stormwatch.support.EmbeddedDatabase;
import io.stormwatch.support.Sql;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;

/**
 * PostgreSQL is stopped for 35 s while commands stream in, and started again. An outage is not the commands' fault:
 * none of them may burn its delivery attempts and end in the broker's dead-letter address. Every command is executed
 * once and answered, positions stay contiguous, and the read model and the publication catch up.
 */
@QuarkusTest
class DatabaseOutageTest {

    private static final Logger LOG = Logger.getLogger(DatabaseOutageTest.class);
    private static final int COMMANDS = 1200;
    /**
     * Longer than the embedded broker's whole redelivery budget (ten attempts with delays of 0.5 s doubling to 5 s:
     * 32.5 s), so that a command whose attempts were counted during the outage would be dead-lettered before it ends.
     */
    private static final Duration OUTAGE = Duration.ofSeconds(35);

    @Inject
    Vertx vertx;

    @Inject
    Sql sql;

    @Test
    void commands_sent_while_the_database_is_down_are_all_executed_once_and_answered() throws Exception {
        Assumptions.assumeFalse(BackingServices.external(), "stops the embedded PostgreSQL; an external one is not ours");
        String station = newStationId("OUTAGE");
        Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(2));
        List<String> commandIds = new CopyOnWriteArrayList<>();
        List<String> messageIds = new CopyOnWriteArrayList<>();
        try (AmqpClient amqp = new AmqpClient(vertx)) {
            assertThat(amqp.request(register(station).encode()).getString("status")).isEqualTo("accepted");
            // About 80 commands a second for 15 s, into the outage; the service takes none until it ends.
            CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < COMMANDS; i++) {
                    JsonObject command = observation(station, start.plusSeconds(i), 10);
                    commandIds.add(command.getString("commandId"));
                    messageIds.add(amqp.send(command.encode()));
                    LockSupport.parkNanos(Duration.ofMillis(12).toNanos());
                }
            });
            await().atMost(Duration.ofSeconds(30)).until(() -> messageIds.size() >= 150);
            long down = System.nanoTime();
            EmbeddedDatabase.stop();
            try {
                await().pollDelay(OUTAGE).atMost(OUTAGE.plusSeconds(1)).until(() -> true);
            } finally {
                long starting = System.nanoTime();
                EmbeddedDatabase.start();
                LOG.infof("PostgreSQL accepts connections again %d ms after its start, %d ms after it was stopped",
                        Duration.ofNanos(System.nanoTime() - starting).toMillis(),
                        Duration.ofNanos(System.nanoTime() - down).toMillis());
            }
            long back = System.nanoTime();
            sending.get(60, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100))
                    .until(() -> messageIds.stream().allMatch(amqp::hasReply));
            LOG.infof("every command answered %d ms after PostgreSQL was back",
                    Duration.ofNanos(System.nanoTime() - back).toMillis());
            for (String messageId : messageIds) {
                assertThat(amqp.awaitReply(messageId).getString("status")).isIn("accepted", "duplicate");
            }
        }
        String[] ids = commandIds.toArray(String[]::new);
        assertThat(sql.count("SELECT count(*) FROM event WHERE metadata->>'commandId' = ANY($1)", (Object) ids))
                .as("one event per command").isEqualTo(COMMANDS);
        assertThat(sql.count("SELECT count(DISTINCT metadata->>'commandId') FROM event"
                + " WHERE metadata->>'commandId' = ANY($1)", (Object) ids)).isEqualTo(COMMANDS);
        assertThat(sql.count("SELECT max(position) - count(*) FROM event")).as("positions 1..N").isZero();
        assertThat(sql.count("SELECT count(*) FROM dead_letter WHERE message_id = ANY($1)",
                (Object) messageIds.toArray(String[]::new)))
                .as("nothing dead-lettered").isZero();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(sql.count("SELECT observation_count FROM station_view WHERE station_id = $1", station))
                    .as("the read model").isEqualTo(COMMANDS);
            assertThat(sql.count("SELECT position FROM publication WHERE name = 'events'"))
                    .as("every position published").isEqualTo(sql.count("SELECT max(position) FROM event"));
        });
    }
}

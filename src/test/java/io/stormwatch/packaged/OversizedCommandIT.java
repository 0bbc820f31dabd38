package io.stormwatch.packaged;

import static io.stormwatch.support.Commands.newStationId;
import static io.stormwatch.support.Commands.observation;
import static io.stormwatch.support.Commands.register;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.stormwatch.support.AmqpClient;
import io.stormwatch.support.BackingServices;
import io.stormwatch.support.JarTest;
import io.stormwatch.support.ServiceProcess;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A 300 MB command sent to the packaged service running on a container's heap (192 MB, exit on OutOfMemoryError):
 * read whole, it killed the JVM, and its redelivery killed it again after every restart. The link's size limit drops
 * its frames as they come: it is rejected unread, dead-lettered, and the service goes on.
 */
class OversizedCommandIT extends JarTest {

    private static final int MEGABYTES = 300;


    @Test
    void a_command_of_300_mb_is_rejected_unread_and_the_service_keeps_running() throws Exception {
        // RabbitMQ refuses a message over its max_message_size (128 MB) from the sender, and dead-letters nothing here.
        assumeTrue(BackingServices.artemis(), "the link's limit, then Artemis' dead-letter address");
        String station = newStationId("HUGE");
        try (ServiceProcess service = ServiceProcess.start(servers, "oversized-command", "-Xmx192m",
                "-XX:+ExitOnOutOfMemoryError"); AmqpClient amqp = new AmqpClient(vertx)) {
            assertThat(amqp.request(register(station).encode()).getString("status")).isEqualTo("accepted");
            long before = deadLetters();

            amqp.send(hugeBatch(station));

            // Whatever comes after it is executed: the link was attached again.
            String next = amqp.send(observation(station, Instant.now().minusSeconds(5), 4).encode());
            await().atMost(Duration.ofSeconds(120)).until(() -> amqp.hasReply(next));
            assertThat(amqp.awaitReply(next).getString("status")).isEqualTo("accepted");
            await().atMost(Duration.ofSeconds(60)).until(() -> deadLetters() == before + 1);
            assertThat(reasonOfLast()).contains("more than 4259840 bytes", "removed from the broker unread");
            assertThat(service.alive()).as("the service survived").isTrue();
            assertThat(amqp.request(observation(station, Instant.now().minusSeconds(3), 5).encode())
                    .getString("status")).isEqualTo("accepted");
        }
    }

    /** A RecordObservations of MEGABYTES observations, each with a note of a million characters. */
    private static String hugeBatch(String station) {
        JsonArray observations = new JsonArray();
        JsonObject one = observation(station, Instant.now().minusSeconds(60), 3).put("note", "x".repeat(1_000_000));
        for (int i = 0; i < MEGABYTES; i++) {
            observations.add(one);
        }
        return new JsonObject().put("type", "RecordObservations").put("observations", observations).encode();
    }

    private static long deadLetters() throws Exception {
        return query("SELECT count(*) FROM dead_letter WHERE source = 'broker:weather.dead-letters'").getLong(1);
    }

    private static String reasonOfLast() throws Exception {
        return query("SELECT reason FROM dead_letter WHERE source = 'broker:weather.dead-letters'"
                + " ORDER BY id DESC LIMIT 1").getString(1);
    }

    private static ResultSet query(String sql) throws Exception {
        var connection = DriverManager.getConnection(servers.get("quarkus.datasource.jdbc.url"),
                servers.get("quarkus.datasource.username"), servers.get("quarkus.datasource.password"));
        ResultSet rows = connection.createStatement().executeQuery(sql);
        rows.next();
        return rows;
    }
}

package io.stormwatch.packaged;

import static io.stormwatch.support.Commands.newStationId;
import static io.stormwatch.support.Commands.observation;
import static io.stormwatch.support.Commands.register;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

import io.stormwatch.support.AmqpClient;
import io.stormwatch.support.JarTest;
import io.stormwatch.support.EventSubscriber;
import io.stormwatch.support.ServiceProcess;
import io.vertx.core.json.JsonObject;

/**
 * Three replicas of the packaged service on one PostgreSQL and one broker, commands arriving on competing consumers,
 * and the replica that holds the publication lease killed with kill -9 under load. Nothing is lost, nothing is
 * executed twice, positions stay contiguous, another replica takes the lease within its time, the read model equals
 * the events, and every position reaches a subscriber in order.
 */
class ReplicasIT extends JarTest {

    private static final Logger LOG = Logger.getLogger(ReplicasIT.class);
    private static final int STATIONS = 20;
    private static final int COMMANDS = 3000;


    @Test
    void three_replicas_one_killed_under_load_execute_every_command_exactly_once() throws Exception {
        List<ServiceProcess> replicas = new ArrayList<>();
        try {
            for (String name : List.of("replica-a", "replica-b", "replica-c")) {
                replicas.add(ServiceProcess.start(servers, name));
            }
            run(replicas);
        } finally {
            for (ServiceProcess replica : replicas) {
                if (replica.alive()) {
                    replica.close();
                }
            }
        }
    }

    private void run(List<ServiceProcess> replicas) throws Exception {
        List<String> stations = new ArrayList<>();
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(5));
        Map<String, JsonObject> sent = new ConcurrentHashMap<>();
        try (AmqpClient amqp = new AmqpClient(vertx);
                EventSubscriber subscriber = new EventSubscriber(vertx, "weather.events")) {
            for (int i = 0; i < STATIONS; i++) {
                String station = newStationId("REPLICA");
                stations.add(station);
                assertThat(amqp.request(register(station).encode()).getString("status")).isEqualTo("accepted");
            }
            long before = head();
            // About 300 commands a second for 10 s, spread over the stations.
            CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < COMMANDS; i++) {
                    JsonObject command = observation(stations.get(i % STATIONS), t0.plusSeconds(i), i % 30);
                    sent.put(amqp.send(command.encode()), command);
                    LockSupport.parkNanos(Duration.ofMillis(3).toNanos());
                }
            });
            await().atMost(Duration.ofSeconds(60)).until(() -> sent.size() >= COMMANDS / 3);

            String holder = leaseOwner();
            ServiceProcess victim = replicas.stream().filter(r -> holder.startsWith(r.name() + "-")).findFirst()
                    .orElseThrow(() -> new AssertionError("no replica holds the lease: " + holder));
            victim.kill();
            long killed = System.nanoTime();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> !leaseOwner().equals(holder));
            Duration failover = Duration.ofNanos(System.nanoTime() - killed);
            LOG.infof("publication lease of %s taken over by %s %d ms after the kill", holder, leaseOwner(),
                    failover.toMillis());
            assertThat(failover).as("lease failover within its 5 s time and a poll").isLessThan(Duration.ofSeconds(8));
            sending.get(60, TimeUnit.SECONDS);

            // A reply lost with the killed replica is what a station sees as no answer: it sends again, and is
            // answered duplicate (or accepted, if the command had not committed).
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
                long unanswered = sent.keySet().stream().filter(id -> !amqp.hasReply(id)).count();
                return unanswered == 0 || quietFor(Duration.ofSeconds(5));
            });
            List<String> resent = new ArrayList<>();
            for (Map.Entry<String, JsonObject> command : sent.entrySet()) {
                if (!amqp.hasReply(command.getKey())) {
                    resent.add(amqp.send(command.getValue().encode()));
                }
            }
            LOG.infof("%d commands unanswered after the kill, sent again", resent.size());
            for (String id : resent) {
                assertThat(amqp.awaitReply(id).getString("status")).isIn("accepted", "duplicate");
            }
            for (String id : sent.keySet()) {
                if (amqp.hasReply(id)) {
                    assertThat(amqp.awaitReply(id).getString("status")).isIn("accepted", "duplicate");
                }
            }

            String[] commandIds = sent.values().stream().map(c -> c.getString("commandId")).toArray(String[]::new);
            assertThat(count("SELECT count(*) FROM event WHERE metadata->>'commandId' = ANY(?)", commandIds))
                    .as("one event per command").isEqualTo(COMMANDS);
            assertThat(count("SELECT count(DISTINCT metadata->>'commandId') FROM event"
                    + " WHERE metadata->>'commandId' = ANY(?)", commandIds)).isEqualTo(COMMANDS);
            assertThat(count("SELECT max(position) - count(*) FROM event")).as("positions 1..N").isZero();
            long after = head();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(count(
                    "SELECT count(*) FROM station_view v WHERE v.station_id = ANY(?) AND v.observation_count <> ("
                            + "SELECT count(*) FROM event e WHERE e.stream_id = 'station-' || v.station_id"
                            + " AND e.type = 'ObservationRecorded')", stations.toArray(String[]::new)))
                    .as("stations whose view differs from their events").isZero());
            List<Long> expected = EventSubscriber.range(before, after);
            subscriber.awaitPositions(expected, Duration.ofSeconds(60));
            assertThat(subscriber.firstSeen().stream().filter(p -> p > before && p <= after).toList())
                    .as("every position published, first seen in order").containsExactlyElementsOf(expected);
        }
    }

    private long lastHead = -1;
    private long headSince = System.nanoTime();

    /** Whether the head has not moved for {@code quiet}: the service has done all it will do unprompted. */
    private boolean quietFor(Duration quiet) throws SQLException {
        long now = head();
        if (now != lastHead) {
            lastHead = now;
            headSince = System.nanoTime();
            return false;
        }
        return System.nanoTime() - headSince > quiet.toNanos();
    }

    private static String leaseOwner() throws SQLException {
        try (Connection connection = connection(); var statement = connection.createStatement();
                var rows = statement.executeQuery("SELECT owner FROM publication WHERE name = 'events'"
                        + " AND lease_expires_at > now()")) {
            return rows.next() ? rows.getString(1) : "";
        }
    }

    private static long head() throws SQLException {
        return count("SELECT coalesce(max(position), 0) FROM event");
    }

    private static long count(String sql, String... array) throws SQLException {
        try (Connection connection = connection(); var statement = connection.prepareStatement(sql)) {
            if (array.length > 0) {
                statement.setArray(1, connection.createArrayOf("text", array));
            }
            try (var rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private static Connection connection() throws SQLException {
        return DriverManager.getConnection(servers.get("quarkus.datasource.jdbc.url"),
                servers.get("quarkus.datasource.username"), servers.get("quarkus.datasource.password"));
    }
}

package io.stormwatch.publication;

import static io.restassured.RestAssured.given;
import static io.stormwatch.support.Management.management;
import static io.stormwatch.support.Commands.newStationId;
import static io.stormwatch.support.Commands.observation;
import static io.stormwatch.support.Commands.register;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.jboss.logging.Logger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.stormwatch.dev.BrokerControl;
import io.stormwatch.support.AmqpTest;
import io.stormwatch.support.BackingServices;
import io.stormwatch.support.DirectCommands;
import io.stormwatch.support.EventSubscriber.Received;
import io.stormwatch.support.EventSubscriber;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;

/** weather.events as an outside subscriber sees it: every committed event, at least once, in position order. */
@QuarkusTest
class PublicationTest extends AmqpTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Inject
    DirectCommands commands;

    @Inject
    Publishers publishers;

    @Test
    void every_event_of_2000_commands_reaches_a_subscriber_once_per_position_in_order() {
        try (EventSubscriber subscriber = new EventSubscriber(vertx, "weather.events")) {
            long before = head();
            String station = newStationId("PUB");
            Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofDays(1));
            assertThat(amqp.request(register(station).encode()).getString("status")).isEqualTo("accepted");
            List<String> sent = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                sent.add(amqp.send(observation(station, start.plusSeconds(i), i % 40).encode()));
            }
            sent.forEach(id -> assertThat(amqp.awaitReply(id).getString("status")).isEqualTo("accepted"));
            long after = head();
            assertThat(after - before).isGreaterThanOrEqualTo(2001);

            List<Long> expected = EventSubscriber.range(before, after);
            subscriber.awaitPositions(expected, WAIT);
            List<Long> seen = subscriber.firstSeen().stream().filter(p -> p > before && p <= after).toList();
            assertThat(seen).as("every position once, in order").containsExactlyElementsOf(expected);

            Received last = subscriber.received().stream().filter(r -> r.position() == after).findFirst().orElseThrow();
            assertCloudEvent(last);
        }
    }

    private void assertCloudEvent(Received received) {
        Row stored = sql.row("SELECT event_id::text, type, stream_id, stream_version, payload::text, recorded_at"
                + " FROM event WHERE position = $1", received.position());
        JsonObject ce = received.properties();
        assertThat(ce.getString("cloudEvents:specversion")).isEqualTo("1.0");
        assertThat(ce.getString("cloudEvents:id")).isEqualTo(stored.getString(0));
        assertThat(ce.getString("cloudEvents:type")).isEqualTo(stored.getString(1));
        assertThat(ce.getString("cloudEvents:subject")).isEqualTo(stored.getString(2));
        assertThat(ce.getLong("cloudEvents:streamversion")).isEqualTo(stored.getLong(3));
        assertThat(ce.getString("cloudEvents:source")).isEqualTo("/stormwatch");
        assertThat(ce.getString("cloudEvents:datacontenttype")).isEqualTo("application/json");
        assertThat(OffsetDateTime.parse(ce.getString("cloudEvents:time")).toInstant())
                .isEqualTo(stored.getOffsetDateTime(5).toInstant());
        assertThat(received.contentType()).isEqualTo("application/json");
        assertThat(received.durable()).isTrue();
        assertThat(new JsonObject(received.body())).isEqualTo(new JsonObject(stored.getString(4)));
    }

    @Test
    void events_stored_while_the_broker_is_down_are_all_published_in_order_when_it_is_back() {
        Assumptions.assumeFalse(BackingServices.external(), "stops the embedded broker; an external one is not ours");
        EventSubscriber subscriber = new EventSubscriber(vertx, "weather.events");
        try {
            String station = newStationId("OUTAGE");
            assertThat(amqp.request(register(station).encode()).getString("status")).isEqualTo("accepted");
            long before = head();
            amqp.close();
            subscriber.disconnect();

            BrokerControl.stop();
            Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(3));
            for (int batch = 0; batch < 10; batch++) {
                List<JsonObject> incoming = new ArrayList<>();
                for (int i = 0; i < 30; i++) {
                    incoming.add(observation(station, start.plusSeconds(batch * 100L + i), 12));
                }
                commands.execute(incoming).await().atMost(Duration.ofSeconds(10));
            }
            long after = head();
            assertThat(after - before).isEqualTo(300);
            await().atMost(WAIT).untilAsserted(() -> management().get("/q/health/well").then().statusCode(503)
                    .body("checks.find { it.name.startsWith('publication') && it.name.contains('weather.events') }.status", equalTo("DOWN")));
            // Reads need no broker: this replica stays ready and answers them all along.
            management().get("/q/health/ready").then().statusCode(200);
            await().atMost(WAIT).untilAsserted(() -> given().get("/api/stations/" + station).then().statusCode(200)
                    .body("observationCount", equalTo(300)));

            BrokerControl.start();
            subscriber.connect();
            List<Long> expected = EventSubscriber.range(before, after);
            subscriber.awaitPositions(expected, WAIT);
            assertThat(subscriber.firstSeen().stream().filter(p -> p > before && p <= after).toList())
                    .containsExactlyElementsOf(expected);
            await().atMost(WAIT).untilAsserted(() -> management().get("/q/health/well").then().statusCode(200));
        } finally {
            subscriber.close();
            amqp = new io.stormwatch.support.AmqpClient(vertx);
        }
    }

    /**
     * The broker goes away while pages are in flight: the publisher must not wait out its 30 s send timeout for
     * acknowledgements that will never come, but resend from its recorded position as soon as the broker is back.
     */
    @Test
    void pages_in_flight_when_the_broker_dies_are_resent_as_soon_as_it_is_back() throws Exception {
        Assumptions.assumeFalse(BackingServices.external(), "stops the embedded broker; an external one is not ours");
        EventSubscriber subscriber = new EventSubscriber(vertx, "weather.events");
        boolean brokerStopped = false;
        try {
            String station = newStationId("INFLIGHT");
            assertThat(amqp.request(register(station).encode()).getString("status")).isEqualTo("accepted");
            amqp.close();
            long before = head();
            Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(7));
            // Appends go on all along, so that the publisher has pages in flight when the broker goes.
            CompletableFuture<Void> appends = CompletableFuture.runAsync(() -> {
                for (int batch = 0; batch < 60; batch++) {
                    List<JsonObject> incoming = new ArrayList<>();
                    for (int i = 0; i < 100; i++) {
                        incoming.add(observation(station, start.plusSeconds(batch * 100L + i), 12));
                    }
                    commands.execute(incoming).await().atMost(Duration.ofSeconds(10));
                }
            });
            await().atMost(WAIT).pollInterval(Duration.ofMillis(5)).until(() -> publishedEvents() > before + 1000);
            BrokerControl.stop();
            brokerStopped = true;
            subscriber.disconnect();
            appends.get(60, TimeUnit.SECONDS);
            long after = head();
            assertThat(after - before).isEqualTo(6000);
            assertThat(publishedEvents()).as("the broker went away mid-stream").isLessThan(after);

            BrokerControl.start();
            brokerStopped = false;
            long back = System.nanoTime();
            subscriber.connect();
            await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> publishedEvents() == after);
            Duration recovery = Duration.ofNanos(System.nanoTime() - back);
            Logger.getLogger(PublicationTest.class).infof("publication caught up %d ms after the broker came back",
                    recovery.toMillis());
            assertThat(recovery).as("caught up after the broker came back").isLessThan(Duration.ofSeconds(10));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> management().get("/q/health/well").then()
                    .body("checks.find { it.name.startsWith('publication') && it.name.contains('weather.events') }"
                            + ".status", equalTo("UP")));
            List<Long> expected = EventSubscriber.range(before, after);
            subscriber.awaitPositions(expected, WAIT);
            assertThat(subscriber.firstSeen().stream().filter(p -> p > before && p <= after).toList())
                    .as("every position, first seen in order").containsExactlyElementsOf(expected);
        } finally {
            if (brokerStopped) {
                BrokerControl.start();
            }
            subscriber.close();
            amqp = new io.stormwatch.support.AmqpClient(vertx);
        }
    }

    private long publishedEvents() {
        return sql.count("SELECT position FROM publication WHERE name = 'events'");
    }

    @Test
    void a_publisher_dying_between_send_and_record_resends_only_the_unrecorded_tail() {
        try (EventSubscriber subscriber = new EventSubscriber(vertx, "weather.events")) {
            String station = newStationId("CRASH");
            assertThat(amqp.request(register(station).encode()).getString("status")).isEqualTo("accepted");
            await().atMost(WAIT).until(() -> sql.count("SELECT position FROM publication WHERE name = 'events'")
                    == head());
            long before = head();

            publishers.events().crashAfterNextSend();
            Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(5));
            List<String> sent = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                sent.add(amqp.send(observation(station, start.plusSeconds(i), 3).encode()));
            }
            sent.forEach(id -> assertThat(amqp.awaitReply(id).getString("status")).isEqualTo("accepted"));
            long after = head();

            List<Long> expected = EventSubscriber.range(before, after);
            subscriber.awaitPositions(expected, WAIT);
            await().atMost(WAIT).until(() -> sql.count("SELECT position FROM publication WHERE name = 'events'")
                    == after);
            Map<Long, Integer> deliveries = new HashMap<>();
            subscriber.received().forEach(r -> deliveries.merge(r.position(), 1, Integer::sum));
            long resent = deliveries.values().stream().filter(n -> n > 1).count();
            assertThat(resent).as("the crashed page was sent again").isPositive();
            assertThat(resent).as("only the unrecorded page, at most").isLessThanOrEqualTo(500);
            assertThat(subscriber.firstSeen().stream().filter(p -> p > before).toList())
                    .containsExactlyElementsOf(expected);

            // The station projection is a subscriber too: the duplicates changed nothing.
            await().atMost(WAIT).untilAsserted(() -> assertThat(sql.count(
                    "SELECT observation_count FROM station_view WHERE station_id = $1", station)).isEqualTo(50));
        }
    }

    @Test
    void when_the_active_publisher_stops_renewing_its_lease_another_takes_over_within_seconds() {
        try (EventSubscriber subscriber = new EventSubscriber(vertx, "weather.events")) {
            String station = newStationId("LEASE");
            assertThat(amqp.request(register(station).encode()).getString("status")).isEqualTo("accepted");
            await().atMost(WAIT).until(() -> sql.count("SELECT position FROM publication WHERE name = 'events'")
                    == head());
            // Another replica holds the lease and dies: it never renews it.
            sql.query("UPDATE publication SET owner = 'replica-killed', lease_expires_at = now() + interval '3 seconds'"
                    + " WHERE name = 'events'");
            long held = System.nanoTime();
            JsonObject reply = amqp.request(observation(station, Instant.now().minusSeconds(1), 1).encode());
            long position = reply.getLong("position");

            await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> management().get("/q/health/well").then()
                    .body("checks.find { it.name.startsWith('publication') && it.name.contains('weather.events') }.data.role", equalTo("standby")));
            assertThat(subscriber.firstSeen()).as("only the lease holder publishes").doesNotContain(position);

            subscriber.awaitPositions(List.of(position), Duration.ofSeconds(15));
            assertThat(Duration.ofNanos(System.nanoTime() - held)).isLessThan(Duration.ofSeconds(10));
            assertThat(sql.row("SELECT owner FROM publication WHERE name = 'events'").getString(0))
                    .isNotEqualTo("replica-killed");
        }
    }

    @Test
    void the_alert_publication_reads_past_events_of_other_types_and_does_not_read_them_again() {
        String station = newStationId("SCAN");
        assertThat(amqp.request(register(station).encode()).getString("status")).isEqualTo("accepted");
        JsonObject reply = amqp.request(observation(station, Instant.now().minusSeconds(1), 1).encode());
        long position = reply.getLong("position");
        // No alert among them: the alert publication still moves to (at least) them, so that its next read starts
        // there instead of at the last alert.
        await().atMost(WAIT).until(() -> sql.count("SELECT position FROM publication WHERE name = 'alerts'")
                >= position);
    }

    private long head() {
        return sql.count("SELECT coalesce(max(position), 0) FROM event");
    }
}

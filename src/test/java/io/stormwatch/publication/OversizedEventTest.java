package io.stormwatch.publication;

import static io.stormwatch.support.Commands.newStationId;
import static io.stormwatch.support.Commands.observation;
import static io.stormwatch.support.Commands.register;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.apache.qpid.proton.codec.DroppingWritableBuffer;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.stormwatch.eventstore.EventFilter;
import io.stormwatch.eventstore.EventLog;
import io.stormwatch.eventstore.RecordedEvent;
import io.stormwatch.support.AmqpTest;
import io.stormwatch.support.EventSubscriber;
import io.vertx.core.json.JsonObject;

/**
 * An event too large to send is dead-lettered and passed over, before the broker could reject it (a rejection
 * would cancel a SmallRye 4.33 outgoing channel for good): the events after it are published as usual.
 */
@QuarkusTest
@TestProfile(OversizedEventTest.SmallMessages.class)
class OversizedEventTest extends AmqpTest {

    /** Between the two events' messages (each carries a traceparent, about 70 bytes). */
    static final int LIMIT = 770;

    public static class SmallMessages implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("stormwatch.publication.max-message-bytes", Integer.toString(LIMIT));
        }
    }

    @Inject
    EventLog log;

    @Test
    void an_oversized_event_is_dead_lettered_and_publication_goes_on() {
        try (EventSubscriber subscriber = new EventSubscriber(vertx, "weather.events")) {
            String station = newStationId("BIG");
            long before = sql.count("SELECT coalesce(max(position), 0) FROM event");
            JsonObject registration = register(station).put("name", "N".repeat(200));
            assertThat(amqp.request(registration.encode()).getString("status")).isEqualTo("accepted");
            assertThat(amqp.request(observation(station, Instant.now().minusSeconds(5), 7).encode())
                    .getString("status")).isEqualTo("accepted");

            List<RecordedEvent> events = log.after(before, EventFilter.ALL, 10).await().atMost(Duration.ofSeconds(5));
            assertThat(events).hasSize(2);
            RecordedEvent big = events.get(0);
            RecordedEvent small = events.get(1);
            assertThat(size(big)).as("premise: the registration is over the limit").isGreaterThan(LIMIT);
            assertThat(size(small)).as("premise: the observation is within it").isLessThanOrEqualTo(LIMIT);

            subscriber.awaitPositions(List.of(small.position()), Duration.ofSeconds(30));
            assertThat(subscriber.firstSeen()).doesNotContain(big.position());
            // Recorded when the page is settled, just after the small one was acknowledged.
            await().atMost(Duration.ofSeconds(10)).until(() -> sql.count(
                    "SELECT count(*) FROM dead_letter WHERE message_id = $1", big.eventId().toString()) == 1);
            assertThat(sql.row("SELECT source, reason FROM dead_letter WHERE message_id = $1",
                    big.eventId().toString()).getString(1))
                    .contains("event " + big.position() + " (StationRegistered)")
                    .contains("over the limit of " + LIMIT);
            // The service's own handlers read the store: the station is there all the same.
            await().atMost(Duration.ofSeconds(30)).until(() -> sql.count(
                    "SELECT count(*) FROM station_view WHERE station_id = $1 AND observation_count = 1", station) == 1);
        }
    }

    private static int size(RecordedEvent event) {
        // Proton's own encoding, measured apart from the publisher's EncodedMessage.
        DroppingWritableBuffer counter = new DroppingWritableBuffer();
        CloudEventWriter.toMessage(event, "/stormwatch").getDelegate().unwrap().encode(counter);
        return counter.position();
    }
}

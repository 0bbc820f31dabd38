package io.stormwatch.eventstore;

import static io.stormwatch.support.Commands.newStationId;
import static io.stormwatch.support.Commands.observation;
import static io.stormwatch.support.Commands.register;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.stormwatch.api.CommandReply;
import io.stormwatch.support.DirectCommands;
import io.vertx.core.json.JsonObject;

/**
 * What the command path hands its own handlers in memory ({@link RecentEvents}) is what they would read from the
 * store: the same positions, ids, streams, versions, types and recorded_at, and payloads and metadata that decode
 * to the same values.
 */
@QuarkusTest
class AppendedEventsTest {

    @Inject
    DirectCommands commands;

    @Inject
    RecentEvents recent;

    @Inject
    EventLog log;

    @Inject
    EventCodec codec;

    @Test
    void the_events_held_in_memory_are_those_the_store_serves() {
        String station = newStationId("MEM");
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofMinutes(30));
        List<CommandReply> replies = commands.execute(List.of(register(station), observation(station, t0, 12.5),
                        observation(station, t0.plusMillis(1234).plusNanos(567_000), -3.25)))
                .await().atMost(Duration.ofSeconds(10));
        // The batch's three events (whatever else is appended afterwards, an alert say, is not compared).
        long before = replies.getFirst().position() - 1;

        List<RecordedEvent> held = recent.after(before, 3);
        List<RecordedEvent> stored = log.after(before, EventFilter.ALL, 3).await().atMost(Duration.ofSeconds(10));
        assertThat(held).hasSize(3).hasSameSizeAs(stored);
        assertThat(held.getLast().position()).isEqualTo(replies.getLast().position());
        for (int i = 0; i < stored.size(); i++) {
            RecordedEvent h = held.get(i);
            RecordedEvent s = stored.get(i);
            assertThat(h.decoded()).isNotNull();
            assertThat(s.decoded()).isNull();
            assertThat(List.of(h.position(), h.eventId(), h.streamId(), h.streamVersion(), h.type()))
                    .isEqualTo(List.of(s.position(), s.eventId(), s.streamId(), s.streamVersion(), s.type()));
            assertThat(h.recordedAt().toInstant()).isEqualTo(s.recordedAt().toInstant());
            assertThat(codec.decode(h)).isEqualTo(codec.decode(s)).isEqualTo(codec.fromJson(h.type(), h.payload()));
            assertThat(new JsonObject(h.metadata())).isEqualTo(new JsonObject(s.metadata()));
        }
    }
}

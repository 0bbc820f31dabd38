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
import io.stormwatch.api.Event;
import io.stormwatch.api.Event.ObservationRecorded;
import io.stormwatch.api.Event.StationRegistered;
import io.stormwatch.support.DirectCommands;

/**
 * The Panache entity of the event table reads what the SQL client reads: every column, as stored, for each shape
 * of filter the read paths use (all events, some types, one stream, one stream's history).
 */
@QuarkusTest
class StoredEventTest {

    @Inject
    DirectCommands commands;

    @Inject
    StoredEvents stored;

    @Inject
    EventLog log;

    @Test
    void the_entity_reads_the_same_events_as_the_sql_client() {
        String station = newStationId("ENTITY");
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofMinutes(30));
        List<CommandReply> replies = commands.execute(List.of(register(station), observation(station, t0, 12.5),
                observation(station, t0.plusSeconds(60), -3.25))).await().atMost(Duration.ofSeconds(10));
        long before = replies.getFirst().position() - 1;
        String stream = Event.stationStream(station);

        for (EventFilter filter : List.of(EventFilter.ALL, new EventFilter(Event.names(ObservationRecorded.class), null),
                new EventFilter(List.of(), stream), new EventFilter(Event.names(StationRegistered.class), stream))) {
            List<RecordedEvent> expected = await(log.after(before, filter, 3));
            assertThat(expected).as("%s", filter).isNotEmpty();
            assertThat(await(stored.after(before, filter, 3))).as("%s", filter)
                    .containsExactlyElementsOf(expected);
        }
        List<RecordedEvent> history = await(stored.stream(stream, List.of()));
        assertThat(history).extracting(RecordedEvent::streamVersion).containsExactly(1L, 2L, 3L);
        assertThat(history).containsExactlyElementsOf(await(log.stream(stream, List.of(), Long.MAX_VALUE)));
    }

    private static <T> T await(io.smallrye.mutiny.Uni<T> uni) {
        return uni.await().atMost(Duration.ofSeconds(10));
    }
}

package io.stormwatch.eventstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

/** The in-memory run of the latest appends serves only a contiguous run, and says "read the store" otherwise. */
class RecentEventsTest {

    private static List<RecordedEvent> events(long from, long to) {
        return LongStream.rangeClosed(from, to).mapToObj(p -> new RecordedEvent(p, UUID.randomUUID(), "s", p,
                "ObservationRecorded", "{}", "{}", OffsetDateTime.now())).toList();
    }

    private static List<Long> positions(List<RecordedEvent> events) {
        return events.stream().map(RecordedEvent::position).toList();
    }

    @Test
    void serves_the_events_after_a_position_within_its_run_up_to_a_limit() {
        RecentEvents recent = new RecentEvents(100);
        recent.committed(events(11, 20));
        recent.committed(events(21, 25));

        assertThat(positions(recent.after(10, 100))).isEqualTo(LongStream.rangeClosed(11, 25).boxed().toList());
        assertThat(positions(recent.after(18, 3))).containsExactly(19L, 20L, 21L);
        assertThat(recent.after(9, 100)).as("the run starts after position 10: the store has 10").isNull();
        assertThat(recent.after(25, 100)).as("nothing held after the run: the store may have more").isNull();
        assertThat(new RecentEvents(10).after(0, 10)).isNull();
    }

    @Test
    void a_batch_that_does_not_continue_the_run_starts_a_new_one() {
        RecentEvents recent = new RecentEvents(100);
        recent.committed(events(1, 10));
        recent.committed(events(14, 15));
        assertThat(recent.after(10, 100)).as("11 to 13 were appended by someone else").isNull();
        assertThat(positions(recent.after(13, 100))).containsExactly(14L, 15L);

        recent.committed(events(11, 13));
        assertThat(positions(recent.after(10, 100))).as("a late report replaces the run")
                .containsExactly(11L, 12L, 13L);
        assertThat(recent.after(13, 100)).isNull();
    }

    @Test
    void a_scan_of_some_types_says_how_far_it_looked() {
        RecentEvents recent = new RecentEvents(100);
        recent.committed(LongStream.rangeClosed(1, 10).mapToObj(p -> new RecordedEvent(p, UUID.randomUUID(), "s", p,
                p % 4 == 0 ? "AlertRaised" : "ObservationRecorded", "{}", "{}", OffsetDateTime.now())).toList());
        List<String> alerts = List.of("AlertRaised");

        EventLog.Scan all = recent.scan(1, alerts, 100);
        assertThat(positions(all.events())).containsExactly(4L, 8L);
        assertThat(all.through()).as("fewer than the limit: looked through the whole run").isEqualTo(10);
        EventLog.Scan first = recent.scan(1, alerts, 1);
        assertThat(positions(first.events())).containsExactly(4L);
        assertThat(first.through()).as("the limit reached: only through the last one taken").isEqualTo(4);
        EventLog.Scan none = recent.scan(8, alerts, 100);
        assertThat(none.events()).isEmpty();
        assertThat(none.through()).isEqualTo(10);
        assertThat(positions(recent.scan(7, List.of(), 2).events())).as("no types: all").containsExactly(8L, 9L);
        assertThat(recent.scan(10, alerts, 100)).as("nothing held after the run").isNull();
    }

    @Test
    void keeps_the_newest_events_up_to_its_capacity() {
        RecentEvents recent = new RecentEvents(5);
        recent.committed(events(1, 4));
        recent.committed(events(5, 12));

        assertThat(recent.after(6, 100)).as("7 was dropped").isNull();
        assertThat(positions(recent.after(7, 100))).containsExactly(8L, 9L, 10L, 11L, 12L);
        recent.committed(events(13, 13));
        assertThat(positions(recent.after(8, 2))).containsExactly(9L, 10L);
    }
}

package io.stormwatch.publication;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

import io.stormwatch.eventstore.RecentEvents;
import io.stormwatch.eventstore.RecordedEvent;

/** The alert publication is woken by the appends that may hold alert events, and by whatever cannot be told. */
class AppendedTypesTest {

    private final RecentEvents recent = new RecentEvents(100);
    private final AppendedTypes alerts = new AppendedTypes(recent, List.of("AlertRaised", "AlertCleared"));

    private static List<RecordedEvent> events(long from, long to, String type) {
        return LongStream.rangeClosed(from, to).mapToObj(p -> new RecordedEvent(p, UUID.randomUUID(), "s", p, type,
                "{}", "{}", OffsetDateTime.now())).toList();
    }

    @Test
    void batches_of_other_types_do_not_wake_it_and_one_with_its_type_does() {
        recent.committed(events(1, 10, "ObservationRecorded"));
        assertThat(alerts.mayHold(10)).as("the first report: looked at from the start of the run").isFalse();

        recent.committed(events(11, 20, "ObservationRecorded"));
        assertThat(alerts.mayHold(20)).isFalse();

        recent.committed(events(21, 21, "AlertCleared"));
        recent.committed(events(22, 30, "ObservationRecorded"));
        assertThat(alerts.mayHold(30)).as("an alert event among the appends").isTrue();
        assertThat(alerts.mayHold(30)).as("the same head again: looked at already").isFalse();
        assertThat(alerts.mayHold(25)).as("a report that came late").isFalse();
    }

    @Test
    void what_cannot_be_told_wakes_it() {
        assertThat(alerts.mayHold(0)).as("a head not given (the evaluator's and the expiry's appends)").isTrue();
        assertThat(alerts.mayHold(5)).as("nothing held in memory").isTrue();

        recent.committed(events(40, 50, "ObservationRecorded"));
        assertThat(alerts.mayHold(50)).as("the run starts after the last head looked at").isTrue();
        recent.committed(events(51, 60, "ObservationRecorded"));
        assertThat(alerts.mayHold(60)).isFalse();
    }
}

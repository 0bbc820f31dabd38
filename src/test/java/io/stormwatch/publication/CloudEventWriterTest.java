package io.stormwatch.publication;

import static io.smallrye.reactive.messaging.amqp.ce.AmqpCloudEventHelper.AMQP_HEADER_FOR_TIME;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.stormwatch.eventstore.RecordedEvent;

/** The time attribute is each event's own, though the writer keeps the last one it wrote. */
class CloudEventWriterTest {

    @Test
    void writes_each_events_time() {
        OffsetDateTime first = OffsetDateTime.of(2026, 11, 27, 7, 30, 0, 123_456_000, ZoneOffset.UTC);
        OffsetDateTime sameInstantElsewhere = first.withOffsetSameInstant(ZoneOffset.ofHours(1));
        assertThat(time(first)).isEqualTo("2026-11-27T07:30:00.123456Z");
        assertThat(time(first.plusNanos(0))).isEqualTo("2026-11-27T07:30:00.123456Z");
        assertThat(time(first.plusNanos(1_000))).isEqualTo("2026-11-27T07:30:00.123457Z");
        assertThat(time(sameInstantElsewhere)).isEqualTo("2026-11-27T08:30:00.123456+01:00");
        assertThat(time(first)).isEqualTo("2026-11-27T07:30:00.123456Z");
    }

    private static String time(OffsetDateTime recordedAt) {
        RecordedEvent event = new RecordedEvent(1, UUID.randomUUID(), "station-A", 1, "ObservationRecorded", "{}",
                "{}", recordedAt);
        return CloudEventWriter.toMessage(event, "/stormwatch").applicationProperties()
                .getString(AMQP_HEADER_FOR_TIME);
    }
}

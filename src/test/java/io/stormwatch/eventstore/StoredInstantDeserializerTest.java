package io.stormwatch.eventstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.junit.jupiter.api.Test;

class StoredInstantDeserializerTest {

    @Test
    void reads_what_instant_writes() {
        Instant now = Instant.now();
        for (Instant instant : List.of(now, now.truncatedTo(ChronoUnit.MILLIS), now.truncatedTo(ChronoUnit.SECONDS),
                now.truncatedTo(ChronoUnit.MICROS), Instant.EPOCH, Instant.parse("2024-02-29T23:59:59.999999999Z"),
                Instant.parse("1969-12-31T00:00:00.5Z"))) {
            assertThat(StoredInstantDeserializer.parse(instant.toString())).isEqualTo(instant);
        }
        assertThat(StoredInstantDeserializer.parse("2026-11-26T21:33:27.12Z"))
                .isEqualTo(Instant.parse("2026-11-26T21:33:27.12Z"));
    }

    @Test
    void leaves_anything_else_to_the_formatter() {
        for (String text : List.of("2026-11-26T21:33:27+01:00", "2026-02-29T00:00:00Z", "2026-13-01T00:00:00Z",
                "2026-11-26T24:00:00Z", "2026-11-26T21:60:00Z", "2026-11-26 21:33:27Z", "2026-11-26T21:33:27.Z",
                "2026-11-26T21:33:27.1234567890Z", "+12026-11-26T21:33:27Z", "2026-1a-26T21:33:27Z", "")) {
            assertThat(StoredInstantDeserializer.parse(text)).as(text).isNull();
        }
    }
}

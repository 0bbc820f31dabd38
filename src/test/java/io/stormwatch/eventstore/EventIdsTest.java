package io.stormwatch.eventstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class EventIdsTest {

    @Test
    void ids_are_version_7_and_carry_their_millisecond() {
        long now = System.currentTimeMillis();
        UUID id = EventIds.at(now);
        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2);
        assertThat(id.getMostSignificantBits() >>> 16).isEqualTo(now);
        assertThat(id.toString()).startsWith(String.format("%08x-%04x-7", now >>> 16, now & 0xFFFF));
    }

    @Test
    void later_milliseconds_sort_after_earlier_ones_as_postgresql_compares_them() {
        long now = System.currentTimeMillis();
        for (int i = 0; i < 1000; i++) {
            // PostgreSQL orders uuids by their bytes, which is the order of their text form.
            assertThat(EventIds.at(now + i).toString()).isLessThan(EventIds.at(now + i + 1).toString());
        }
    }

    @Test
    void ids_of_the_same_millisecond_differ() {
        long now = System.currentTimeMillis();
        Set<UUID> ids = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            ids.add(EventIds.at(now));
        }
        assertThat(ids).hasSize(100_000);
    }
}

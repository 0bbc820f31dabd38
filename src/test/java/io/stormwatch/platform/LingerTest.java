package io.stormwatch.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class LingerTest {

    @Test
    void the_first_start_is_at_once_and_the_next_waits_for_the_rest_of_the_linger() {
        Linger linger = new Linger(Duration.ofSeconds(10));
        assertThat(linger.waitMillis()).isZero();
        linger.started();
        assertThat(linger.waitMillis()).isBetween(9_000L, 10_000L);
    }

    @Test
    void no_linger_never_waits() {
        Linger linger = new Linger(Duration.ZERO);
        linger.started();
        assertThat(linger.waitMillis()).isZero();
    }
}

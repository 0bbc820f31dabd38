package io.stormwatch.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Uni;

/** Requests while a run goes make it go round once more; a request after it starts a new one. */
class LingeredRunsTest {

    @Test
    void a_request_during_a_run_makes_it_go_round_once_more_and_a_request_after_it_starts_anew() {
        int[] rounds = {0};
        LingeredRuns[] runs = new LingeredRuns[1];
        runs[0] = new LingeredRuns(Duration.ZERO, () -> {
            rounds[0]++;
            if (rounds[0] == 1) {
                assertThat(runs[0].request().await().indefinitely()).isNull(); // returns at once: a run is going
            }
            return Uni.createFrom().voidItem();
        }, pause -> Uni.createFrom().voidItem());

        runs[0].request().await().atMost(Duration.ofSeconds(5));
        assertThat(rounds[0]).isEqualTo(2);
        runs[0].request().await().atMost(Duration.ofSeconds(5));
        assertThat(rounds[0]).isEqualTo(3);
    }
}

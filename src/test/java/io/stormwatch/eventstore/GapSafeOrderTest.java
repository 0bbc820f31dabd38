package io.stormwatch.eventstore;

import static io.stormwatch.support.Commands.newStationId;
import static io.stormwatch.support.Commands.observation;
import static io.stormwatch.support.Commands.register;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.stormwatch.api.CommandReply;
import io.stormwatch.support.DirectCommands;
import io.stormwatch.support.Sql;
import io.vertx.core.json.JsonObject;

/**
 * The log's order is gap-safe under concurrent appends: a reader paging with after = last position seen ends with
 * every position, and never finds a position below one it has passed (which a plain sequence would allow, when a
 * slower transaction commits a lower number later).
 */
@QuarkusTest
class GapSafeOrderTest {

    private static final int APPENDERS = 8;
    private static final int EVENTS = 5000;
    private static final int PER_TRANSACTION = 25;

    @Inject
    DirectCommands commands;

    @Inject
    EventLog log;

    @Inject
    Sql sql;

    /** Paces the reader between empty pages, so that it does not take a core from the appenders. */
    private static void pause() {
        LockSupport.parkNanos(Duration.ofMillis(2).toNanos());
    }

    @Test
    void eight_concurrent_appenders_and_a_paging_reader_see_one_gap_free_order() throws Exception {
        long before = sql.count("SELECT coalesce(max(position), 0) FROM event");
        List<String> stations = new ArrayList<>();
        for (int a = 0; a < APPENDERS; a++) {
            stations.add(newStationId("GAP" + a));
        }
        commands.execute(stations.stream().map(s -> register(s)).toList()).await().atMost(Duration.ofSeconds(10));
        long start = before + APPENDERS;

        AtomicBoolean writing = new AtomicBoolean(true);
        List<Long> seen = new ArrayList<>();
        CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> {
            long last = start;
            boolean drained = false;
            while (!drained) {
                boolean finalPass = !writing.get();
                List<RecordedEvent> page = log.after(last, EventFilter.ALL, 1000).await().atMost(Duration.ofSeconds(10));
                for (RecordedEvent event : page) {
                    assertThat(event.position()).as("a position below one already passed").isGreaterThan(last);
                    seen.add(event.position());
                    last = event.position();
                }
                drained = finalPass && page.isEmpty();
                if (page.isEmpty()) {
                    pause();
                }
            }
        });

        ExecutorService appenders = Executors.newFixedThreadPool(APPENDERS);
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofDays(2));
        List<CompletableFuture<Void>> writers = new ArrayList<>();
        for (int a = 0; a < APPENDERS; a++) {
            String station = stations.get(a);
            writers.add(CompletableFuture.runAsync(() -> {
                for (int i = 0; i < EVENTS / APPENDERS; i += PER_TRANSACTION) {
                    List<JsonObject> batch = new ArrayList<>();
                    for (int k = i; k < i + PER_TRANSACTION; k++) {
                        batch.add(observation(station, t0.plusSeconds(k), 10));
                    }
                    commands.execute(batch).await().atMost(Duration.ofSeconds(30))
                            .forEach(reply -> assertThat(reply.status()).isEqualTo(CommandReply.Status.accepted));
                }
            }, appenders));
        }
        CompletableFuture.allOf(writers.toArray(CompletableFuture[]::new)).get();
        writing.set(false);
        reader.get();
        appenders.shutdown();

        long end = sql.count("SELECT max(position) FROM event");
        assertThat(end - start).isEqualTo(EVENTS);
        List<Long> expected = new ArrayList<>();
        for (long p = start + 1; p <= end; p++) {
            expected.add(p);
        }
        assertThat(seen).containsExactlyElementsOf(expected);
    }
}

package io.stormwatch.rest;

import static io.restassured.RestAssured.given;
import static io.stormwatch.support.Commands.newStationId;
import static io.stormwatch.support.Commands.observation;
import static io.stormwatch.support.Commands.register;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.equalTo;

import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.stormwatch.platform.FrameworkNoiseFilter;
import io.stormwatch.support.DirectCommands;
import io.stormwatch.support.Sql;
import io.vertx.core.json.JsonObject;

/** The event log over HTTP: filtered pages, and the SSE stream with its seam and its resumption. */
@QuarkusTest
class EventStreamTest {

    @Inject
    DirectCommands commands;

    @Inject
    Sql sql;

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @Test
    void the_stream_gives_history_then_live_events_and_resumes_after_last_event_id() throws Exception {
        String station = newStationId("SSE");
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(6));
        List<JsonObject> history = new ArrayList<>(List.of(register(station)));
        for (int i = 0; i < 4; i++) {
            history.add(observation(station, t0.plusSeconds(i), 1));
        }
        commands.execute(history).await().atMost(Duration.ofSeconds(10));
        String stream = "station-" + station;

        List<Long> received = new ArrayList<>();
        try (SseClient first = new SseClient(port, "?after=0&stream=" + stream, null)) {
            received.addAll(first.take(5));
            // Live: appended after the history was sent, over the same connection.
            commands.execute(List.of(observation(station, t0.plusSeconds(10), 2),
                    observation(station, t0.plusSeconds(11), 2))).await().atMost(Duration.ofSeconds(10));
            received.addAll(first.take(1));
        }
        // Appended while this client was away.
        commands.execute(List.of(observation(station, t0.plusSeconds(20), 3))).await().atMost(Duration.ofSeconds(10));
        try (SseClient resumed = new SseClient(port, "?stream=" + stream, received.getLast())) {
            received.addAll(resumed.take(2));
            assertThat(resumed.takeWithin(Duration.ofMillis(700))).as("nothing after the last event").isEmpty();
        }

        List<Long> stored = sql.query("SELECT position FROM event WHERE stream_id = $1 ORDER BY position", stream)
                .stream().map(row -> row.getLong(0)).toList();
        assertThat(stored).hasSize(8);
        assertThat(received).as("every event once, in order, across the reconnection").containsExactlyElementsOf(stored);
    }

    @Test
    void pages_filter_by_type_and_stream() {
        String station = newStationId("FILTER");
        commands.execute(List.of(register(station), observation(station, Instant.now().minusSeconds(30), 4)))
                .await().atMost(Duration.ofSeconds(10));
        given().queryParam("stream", "station-" + station).queryParam("type", "ObservationRecorded")
                .get("/api/events")
                .then().statusCode(200)
                .body("size()", equalTo(1))
                .body("type", everyItem(equalTo("ObservationRecorded")))
                .body("[0].streamId", equalTo("station-" + station))
                .body("[0].payload.stationId", equalTo(station))
                .body("[0].keySet()", equalTo(Set.of("position", "eventId", "streamId", "streamVersion",
                        "type", "payload", "metadata", "recordedAt")));
        given().queryParam("stream", "station-" + station).queryParam("type", "StationRegistered,ObservationRecorded")
                .get("/api/events")
                .then().statusCode(200).body("size()", equalTo(2));
    }

    @Test
    void a_bad_filter_gets_a_400_that_names_it() {
        given().queryParam("type", "StationExploded").get("/api/events")
                .then().statusCode(400).body("error", containsString("type must be one of"))
                .body("error", containsString("StationExploded"));
        given().queryParam("stream", "no spaces please").get("/api/events/stream")
                .then().statusCode(400).body("error", containsString("stream must be a stream id"));
        given().header("Last-Event-ID", "yesterday").get("/api/events/stream")
                .then().statusCode(400).body("error", containsString("Last-Event-ID"));
    }

    /**
     * A live tail idles past the 1 s re-check between events: every wait that timed out used to cancel the future all
     * waiters share, so every stream failed about a second after it reached the newest event.
     */
    @Test
    void a_live_tail_stays_open_through_idle_time_longer_than_its_recheck() throws Exception {
        String station = newStationId("IDLE");
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(2));
        commands.execute(List.of(register(station))).await().atMost(Duration.ofSeconds(10));
        String query = "?after=0&stream=station-" + station;
        try (SseClient first = new SseClient(port, query, null); SseClient second = new SseClient(port, query, null)) {
            first.take(1);
            second.take(1);
            for (int round = 0; round < 2; round++) {
                assertThat(first.takeWithin(Duration.ofMillis(3500))).as("nothing while idle").isEmpty();
                commands.execute(List.of(observation(station, t0.plusSeconds(round), 1)))
                        .await().atMost(Duration.ofSeconds(10));
                assertThat(first.take(1)).as("first stream after %d idle rounds", round + 1).hasSize(1);
                assertThat(second.take(1)).as("second stream after %d idle rounds", round + 1).hasSize(1);
            }
        }
    }

    /** Two hundred tails at once, with events every few milliseconds and an idle pause: each sees every event once. */
    @Test
    void two_hundred_concurrent_tails_each_get_every_event_in_order() throws Exception {
        String station = newStationId("MANY");
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(3));
        commands.execute(List.of(register(station))).await().atMost(Duration.ofSeconds(10));
        String query = "?after=0&stream=station-" + station;
        HttpClient http = HttpClient.newHttpClient();
        List<SseClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 200; i++) {
                clients.add(new SseClient(http, port, query, null));
            }
            for (SseClient client : clients) {
                client.take(1);
            }
            List<Long> received = new ArrayList<>();
            for (int half = 0; half < 2; half++) {
                for (int i = 0; i < 20; i++) {
                    commands.execute(List.of(observation(station, t0.plusSeconds(half * 20L + i), 2)))
                            .await().atMost(Duration.ofSeconds(10));
                }
                List<Long> stored = sql.query("SELECT position FROM event WHERE stream_id = $1 AND type = $2"
                        + " ORDER BY position", "station-" + station, "ObservationRecorded")
                        .stream().map(row -> row.getLong(0)).toList();
                List<Long> expected = stored.subList(received.size(), stored.size());
                assertThat(expected).hasSize(20);
                for (int i = 0; i < clients.size(); i++) {
                    assertThat(clients.get(i).take(20)).as("client %d, half %d", i, half)
                            .containsExactlyElementsOf(expected);
                }
                received.addAll(expected);
                assertThat(clients.getFirst().takeWithin(Duration.ofMillis(3000))).as("idle").isEmpty();
            }
        } finally {
            clients.forEach(SseClient::close);
            http.shutdownNow();
        }
    }

    /**
     * Tails at the head share one reader: a commit is read from this replica's recent appends, not once per tail.
     * Each tail used to query the event table after every commit (200 tails, 30 commits: 6,000 reads).
     */
    @Test
    void two_hundred_tails_at_the_head_do_not_each_read_the_store_on_every_commit() throws Exception {
        String station = newStationId("SHARED");
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(5));
        commands.execute(List.of(register(station))).await().atMost(Duration.ofSeconds(10));
        HttpClient http = HttpClient.newHttpClient();
        List<SseClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 200; i++) {
                clients.add(new SseClient(http, port, "?after=0&stream=station-" + station, null));
            }
            for (SseClient client : clients) {
                client.take(1);
            }
            long before = eventTableReads();
            for (int i = 0; i < 30; i++) {
                commands.execute(List.of(observation(station, t0.plusSeconds(i), 2))).await()
                        .atMost(Duration.ofSeconds(10));
                for (SseClient client : clients) {
                    client.take(1);
                }
            }
            long reads = eventTableReads() - before;
            // One read per tail per commit was 6,000; what is left is the service's own work (the projections, the
            // publications) and the once-a-second check of the store's head.
            assertThat(reads).as("reads of the event table for 30 commits to 200 tails").isLessThan(300);
        } finally {
            clients.forEach(SseClient::close);
            http.shutdownNow();
        }
    }

    /** Scans of the event table so far, as PostgreSQL counts them (its backends report at most every second). */
    private long eventTableReads() {
        return await().pollDelay(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).until(() -> sql.count(
                "SELECT coalesce(seq_scan, 0) + coalesce(idx_scan, 0) FROM pg_stat_user_tables WHERE relname = 'event'"),
                n -> true);
    }

    /** Clients that go away are the normal end of a tail: not an ERROR, whatever the stream was doing. */
    @Test
    void clients_that_disconnect_leave_no_error_in_the_log() throws Exception {
        String station = newStationId("GONE");
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(4));
        commands.execute(List.of(register(station))).await().atMost(Duration.ofSeconds(10));
        List<LogRecord> errors = new CopyOnWriteArrayList<>();
        // What the service's log handlers print: through the same filter they apply.
        FrameworkNoiseFilter filter = new FrameworkNoiseFilter();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.SEVERE.intValue() && filter.isLoggable(record)) {
                    errors.add(record);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        root.addHandler(handler);
        try {
            List<SseClient> clients = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                clients.add(new SseClient(port, "?after=0&stream=station-" + station, null));
            }
            for (SseClient client : clients) {
                client.take(1);
            }
            // Half leave while idle, half while events are being written to them.
            clients.subList(0, 10).forEach(SseClient::close);
            await().pollDelay(Duration.ofMillis(1500)).until(() -> true);
            for (int i = 0; i < 20; i++) {
                commands.execute(List.of(observation(station, t0.plusSeconds(i), 3))).await().atMost(Duration.ofSeconds(10));
                if (i == 5) {
                    clients.subList(10, 20).forEach(SseClient::close);
                }
            }
            await().pollDelay(Duration.ofMillis(1500)).until(() -> true);
            assertThat(errors).extracting(r -> r.getLoggerName() + ": " + r.getMessage()).isEmpty();
        } finally {
            root.removeHandler(handler);
        }
    }

    /** A bare SSE client on java.net.http: it reads the stream line by line and collects the event ids. */
    private static final class SseClient implements AutoCloseable {

        private final BlockingQueue<Long> ids = new LinkedBlockingQueue<>();
        private final CompletableFuture<HttpResponse<Stream<String>>> response;
        private final HttpClient http;
        private final boolean ownClient;

        SseClient(int port, String query, Long lastEventId) {
            this(HttpClient.newHttpClient(), true, port, query, lastEventId);
        }

        SseClient(HttpClient http, int port, String query, Long lastEventId) {
            this(http, false, port, query, lastEventId);
        }

        private SseClient(HttpClient http, boolean ownClient, int port, String query, Long lastEventId) {
            this.http = http;
            this.ownClient = ownClient;
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port
                    + "/api/events/stream" + query)).header("Accept", "text/event-stream");
            if (lastEventId != null) {
                request.header("Last-Event-ID", Long.toString(lastEventId));
            }
            response = http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofLines());
            // A status other than 200 is reported by take(), not lost in this callback's thread.
            response.thenAccept(r -> {
                if (r.statusCode() != 200) {
                    return;
                }
                new Thread(() -> read(r.body()), "sse-reader").start();
            });
        }

        private void read(Stream<String> lines) {
            try {
                lines.forEach(line -> {
                    if (line.startsWith("id:")) {
                        ids.add(Long.parseLong(line.substring(3).strip()));
                    }
                });
            } catch (UncheckedIOException closed) {
                // this client closed the stream: what it read is in ids
            }
        }

        List<Long> take(int count) throws Exception {
            HttpResponse<Stream<String>> answer = response.get(20, TimeUnit.SECONDS);
            assertThat(answer.statusCode()).as("the stream's status (body: %s)",
                    answer.statusCode() == 200 ? "" : answer.body().collect(Collectors.joining("\n"))).isEqualTo(200);
            List<Long> taken = new ArrayList<>();
            while (taken.size() < count) {
                Long id = ids.poll(20, TimeUnit.SECONDS);
                assertThat(id).as("event %d of %d", taken.size() + 1, count).isNotNull();
                taken.add(id);
            }
            return taken;
        }

        List<Long> takeWithin(Duration wait) throws InterruptedException {
            List<Long> taken = new ArrayList<>();
            Long id = ids.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
            if (id != null) {
                taken.add(id);
                ids.drainTo(taken);
            }
            return taken;
        }

        @Override
        public void close() {
            response.thenAccept(r -> r.body().close());
            response.cancel(true);
            if (ownClient) {
                http.shutdownNow();
            }
        }
    }
}

package io.stormwatch.amqp;

import static io.restassured.RestAssured.given;
import static io.stormwatch.support.Commands.newStationId;
import static io.stormwatch.support.Commands.observation;
import static io.stormwatch.support.Commands.register;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.stormwatch.support.AmqpClient;
import io.stormwatch.support.Sql;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;

/** 1,000 observations from 10 stations sent at once: each stored exactly once, in gap-free streams and positions. */
@QuarkusTest
class ConcurrentIngestTest {

    private static final int STATIONS = 10;
    private static final int PER_STATION = 100;

    @Inject
    Vertx vertx;

    @Inject
    Sql sql;

    @Test
    void every_observation_arrives_exactly_once_with_contiguous_versions_and_positions() {
        List<String> stations = new ArrayList<>();
        List<String> sent = new ArrayList<>();
        Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(2));
        try (AmqpClient amqp = new AmqpClient(vertx)) {
            for (int s = 0; s < STATIONS; s++) {
                stations.add(newStationId("LOAD" + s));
                assertThat(amqp.request(register(stations.get(s)).encode()).getString("status")).isEqualTo("accepted");
            }
            for (int i = 0; i < PER_STATION; i++) {
                for (String station : stations) {
                    sent.add(amqp.send(observation(station, start.plusSeconds(i * 60L), i % 30).encode()));
                }
            }
            for (String messageId : sent) {
                assertThat(amqp.awaitReply(messageId).getString("status")).isEqualTo("accepted");
            }
        }
        String[] streams = stations.stream().map(id -> "station-" + id).toArray(String[]::new);

        RowSet<Row> perStream = sql.query("""
                SELECT stream_id, count(*), min(stream_version), max(stream_version),
                       count(DISTINCT metadata->>'commandId') FILTER (WHERE type = 'ObservationRecorded')
                FROM event WHERE stream_id = ANY($1) GROUP BY stream_id""", (Object) streams);
        assertThat(perStream.size()).isEqualTo(STATIONS);
        for (Row row : perStream) {
            assertThat(row.getLong(1)).as("events of %s", row.getString(0)).isEqualTo(PER_STATION + 1);
            assertThat(row.getLong(2)).isEqualTo(1);
            assertThat(row.getLong(3)).isEqualTo(PER_STATION + 1);
            assertThat(row.getLong(4)).as("distinct commands of %s", row.getString(0)).isEqualTo(PER_STATION);
        }

        // Events of one transaction share now(): fewer distinct times than events means commands were batched.
        Row transactions = sql.row("""
                SELECT count(DISTINCT recorded_at), count(*) FROM event
                WHERE stream_id = ANY($1) AND type = 'ObservationRecorded'""", (Object) streams);
        assertThat(transactions.getLong(0)).as("transactions for %d observations", transactions.getLong(1))
                .isLessThan(transactions.getLong(1) / 2);

        Row positions = sql.row("SELECT count(*), min(position), max(position) FROM event");
        assertThat(positions.getLong(1)).isEqualTo(1);
        assertThat(positions.getLong(2)).as("no gap in global positions").isEqualTo(positions.getLong(0));

        for (String station : stations) {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/stations/{id}", station)
                    .then().body("observationCount", equalTo(PER_STATION))
                    .body("latest.observedAt", equalTo(start.plusSeconds((PER_STATION - 1) * 60L).toString())));
        }
    }

}

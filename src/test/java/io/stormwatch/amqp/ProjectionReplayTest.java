package io.stormwatch.amqp;

import static io.stormwatch.support.Commands.newStationId;
import static io.stormwatch.support.Commands.observation;
import static io.stormwatch.support.Commands.register;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.stormwatch.projection.StationProjector;
import io.stormwatch.projection.Subscriptions;
import io.stormwatch.support.AmqpClient;
import io.stormwatch.support.Sql;
import io.vertx.mutiny.core.Vertx;

/** The station view is derived: replaying the log over it, or rebuilding it from nothing, gives the same rows. */
@QuarkusTest
class ProjectionReplayTest {

    private static final String SNAPSHOT = """
            SELECT string_agg(v::text, E'\\n' ORDER BY station_id) FROM station_view v""";

    @Inject
    Vertx vertx;

    @Inject
    Sql sql;

    @Inject
    Subscriptions subscriptions;

    @Test
    void replaying_and_rebuilding_change_nothing() {
        String station = newStationId("REPLAY");
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        try (AmqpClient amqp = new AmqpClient(vertx)) {
            amqp.request(register(station).encode());
            amqp.request(observation(station, now.minusSeconds(60), 3).encode());
            // Arrives late: counted, but the latest stays the newer observation.
            amqp.request(observation(station, now.minusSeconds(600), -8).encode());
        }
        String before = caughtUpSnapshot();
        assertThat(before).contains(station);

        sql.run("UPDATE projection_checkpoint SET position = 0 WHERE name = 'stations'");
        assertThat(caughtUpSnapshot()).isEqualTo(before);

        sql.run("DELETE FROM station_view");
        sql.run("UPDATE projection_checkpoint SET position = 0 WHERE name = 'stations'");
        assertThat(caughtUpSnapshot()).isEqualTo(before);
    }

    private String caughtUpSnapshot() {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            subscriptions.get(StationProjector.NAME).catchUp().await().atMost(Duration.ofSeconds(10));
            return sql.value("SELECT (SELECT position FROM projection_checkpoint WHERE name = 'stations')"
                    + " = (SELECT coalesce(max(position), 0) FROM event)").equals("true");
        });
        return sql.value(SNAPSHOT);
    }
}

package io.stormwatch.command;

import static io.stormwatch.support.Commands.newStationId;
import static io.stormwatch.support.Commands.observation;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.stormwatch.api.CommandReply;
import io.stormwatch.domain.StationState;
import io.stormwatch.support.DirectCommands;
import io.stormwatch.support.Sql;
import io.vertx.core.json.JsonObject;

/**
 * The command path takes a station's version and state from what its last batch left only while nobody else has
 * appended since; an append by another replica in between is read from the store.
 */
@QuarkusTest
class StationStatesTest {

    @Inject
    DirectCommands commands;

    @Inject
    Sql sql;

    private static StationStates.Known known(long version) {
        return new StationStates.Known(version, new StationState("station-A", null));
    }

    @Test
    void what_a_batch_left_is_served_only_at_the_head_it_left() {
        StationStates states = new StationStates(3);
        states.committed(-1, 10, Map.of("station-A", known(2), "station-B", known(0)));

        assertThat(states.expected(List.of("station-A", "station-C")).at(10)).containsOnlyKeys("station-A");
        assertThat(states.expected(List.of("station-A")).at(11)).as("someone appended after 10").isEmpty();

        states.committed(10, 12, Map.of("station-C", known(1)));
        assertThat(states.expected(List.of("station-A", "station-C")).at(12))
                .as("a batch that went on from 10 adds to it").containsOnlyKeys("station-A", "station-C");

        states.committed(15, 16, Map.of("station-D", known(4)));
        assertThat(states.expected(List.of("station-A", "station-D")).at(16)).as("one that did not replaces it")
                .containsOnlyKeys("station-D");

        states.committed(16, 17, Map.of("station-E", known(1), "station-F", known(1), "station-G", known(1)));
        assertThat(states.expected(List.of("station-D", "station-E")).at(17)).as("over capacity, it starts again")
                .containsOnlyKeys("station-E");
    }

    @Test
    void a_registration_appended_by_another_replica_between_two_batches_is_seen() {
        String station = newStationId("OTHER");
        Instant t0 = Instant.now().minus(Duration.ofMinutes(10));
        CommandReply before = execute(observation(station, t0, 5.0));
        assertThat(before.status()).as("not registered yet").isEqualTo(CommandReply.Status.rejected);

        // Another replica registers the station: under the append lock, right after the head.
        sql.query("""
                WITH locked AS (SELECT pg_advisory_xact_lock(x'53544f524d574154'::bigint))
                INSERT INTO event (position, event_id, stream_id, stream_version, type, payload, metadata)
                SELECT (SELECT coalesce(max(position), 0) + 1 FROM event), gen_random_uuid(), 'station-%s', 1,
                       'StationRegistered', jsonb_build_object('stationId', '%s', 'name', 'elsewhere',
                       'latitude', 60.39, 'longitude', 5.32, 'elevationM', 12.0), '{}'::jsonb
                FROM locked""".formatted(station, station));

        CommandReply after = execute(observation(station, t0.plusSeconds(60), 6.0));
        assertThat(after.status()).isEqualTo(CommandReply.Status.accepted);
        assertThat(sql.count("SELECT stream_version FROM event WHERE position = " + after.position())).isEqualTo(2);
    }

    private CommandReply execute(JsonObject command) {
        return commands.execute(List.of(command)).await().atMost(Duration.ofSeconds(10)).getFirst();
    }
}

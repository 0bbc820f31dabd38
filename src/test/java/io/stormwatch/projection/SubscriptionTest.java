package io.stormwatch.projection;

import static io.stormwatch.support.Commands.newStationId;
import static io.stormwatch.support.Commands.observation;
import static io.stormwatch.support.Commands.register;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.stormwatch.api.Event;
import io.stormwatch.eventstore.EventFilter;
import io.stormwatch.eventstore.EventLog;
import io.stormwatch.eventstore.RecentEvents;
import io.stormwatch.eventstore.RecordedEvent;
import io.stormwatch.support.DirectCommands;
import io.stormwatch.support.Sql;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * A subscription against the real store: its handler sees each event once, in order, however often and however
 * concurrently a run is asked for, and the checkpoint moves with what was applied.
 */
@QuarkusTest
class SubscriptionTest {

    @Inject
    Pool pool;

    @Inject
    DirectCommands commands;

    @Inject
    EventLog log;

    @Inject
    RecentEvents recentEvents;

    @Inject
    Sql sql;

    private final List<RecordedEvent> applied = java.util.Collections.synchronizedList(new ArrayList<>());
    private final EventHandler recorder = new EventHandler() {
        private final String name = "test-" + UUID.randomUUID();

        @Override
        public String name() {
            return name;
        }

        @Override
        public List<String> eventTypes() {
            return Event.typeNames();
        }

        @Override
        public Uni<Void> apply(SqlConnection tx, List<RecordedEvent> events) {
            applied.addAll(events);
            return Uni.createFrom().voidItem();
        }
    };
    private List<RecordedEvent> events;

    @BeforeEach
    void fiveNewEvents() {
        long head = sql.count("SELECT coalesce(max(position), 0) FROM event");
        sql.query("INSERT INTO projection_checkpoint (name, position) VALUES ($1, $2)", recorder.name(), head);
        String station = newStationId("SUB");
        Instant t0 = Instant.now().minusSeconds(600);
        List<JsonObject> batch = new ArrayList<>(List.of(register(station)));
        for (int i = 0; i < 4; i++) {
            batch.add(observation(station, t0.plusSeconds(i), i));
        }
        commands.execute(batch).await().atMost(Duration.ofSeconds(10));
        events = log.after(head, EventFilter.ALL, 100).await().atMost(Duration.ofSeconds(10));
        assertThat(events).hasSize(5);
    }

    @AfterEach
    void dropCheckpoint() {
        sql.query("DELETE FROM projection_checkpoint WHERE name = $1", recorder.name());
    }

    @Test
    void a_run_applies_the_new_events_once_in_order_and_moves_the_checkpoint() {
        Subscription subscription = subscription(500);
        subscription.catchUp().await().atMost(Duration.ofSeconds(10));
        assertThat(positions()).containsExactly(pos(0), pos(1), pos(2), pos(3), pos(4));
        assertThat(checkpoint()).isEqualTo(pos(4));

        subscription.catchUp().await().atMost(Duration.ofSeconds(10));
        assertThat(positions()).as("nothing new: nothing applied").hasSize(5);
    }

    @Test
    void runs_asked_for_at_once_apply_each_event_once() {
        Subscription subscription = subscription(2);
        List<Uni<Void>> runs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            runs.add(subscription.catchUp());
        }
        Uni.join().all(runs).andFailFast().await().atMost(Duration.ofSeconds(10));
        assertThat(positions()).containsExactly(pos(0), pos(1), pos(2), pos(3), pos(4));
        assertThat(checkpoint()).isEqualTo(pos(4));
    }

    @Test
    void two_subscriptions_of_one_handler_as_two_replicas_would_have_share_the_checkpoint() {
        Subscription one = subscription(1);
        Subscription other = subscription(1);
        Uni.join().all(one.catchUp(), other.catchUp()).andFailFast().await().atMost(Duration.ofSeconds(10));
        assertThat(positions()).as("the row lock lets one replica apply each page")
                .containsExactly(pos(0), pos(1), pos(2), pos(3), pos(4));
    }

    @Test
    void events_appended_during_a_run_are_applied_by_the_same_run_when_asked_for() {
        Subscription subscription = subscription(1);
        Uni<Void> first = subscription.catchUp();
        String station = newStationId("SUB");
        Uni<Void> running = first.memoize().indefinitely();
        running.subscribe().with(x -> {
        });
        commands.execute(List.of(register(station))).await().atMost(Duration.ofSeconds(10));
        subscription.catchUp().await().atMost(Duration.ofSeconds(10));
        running.await().atMost(Duration.ofSeconds(10));
        long head = sql.count("SELECT max(position) FROM event");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> checkpoint() == head);
        assertThat(positions()).doesNotHaveDuplicates().contains(head);
    }

    private Subscription subscription(int pageSize) {
        return new Subscription(recorder, pool, log, recentEvents, pageSize, Duration.ZERO, position -> {
        });
    }

    private long pos(int index) {
        return events.get(index).position();
    }

    private List<Long> positions() {
        return applied.stream().map(RecordedEvent::position).toList();
    }

    private long checkpoint() {
        return sql.count("SELECT position FROM projection_checkpoint WHERE name = $1", recorder.name());
    }
}

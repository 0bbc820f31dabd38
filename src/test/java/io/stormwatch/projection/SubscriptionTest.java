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
import io.stormwatch.eventstore.RecordedEvent;
import io.stormwatch.support.DirectCommands;
import io.stormwatch.support.Sql;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * A subscription against the real store, fed deliveries as a broker may bring them: duplicated, reordered, with
 * holes. Its handler must see each event once, in order. A delivery carries a marked payload, so the test can tell
 * which events came from the delivery and which were read from the store.
 */
@QuarkusTest
class SubscriptionTest {

    private static final String DELIVERED = "{\"delivered\":true}";

    @Inject
    Pool pool;

    @Inject
    DirectCommands commands;

    @Inject
    EventLog log;

    @Inject
    Sql sql;

    private final List<RecordedEvent> applied = new ArrayList<>();
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
    void a_contiguous_batch_is_applied_as_delivered_and_its_duplicates_are_skipped() {
        Subscription subscription = subscription(2000);
        deliver(subscription, 1, 0, 2, 1, 0);
        assertThat(positions()).containsExactly(pos(0), pos(1), pos(2));
        assertThat(applied).allMatch(e -> e.payload().equals(DELIVERED));

        deliver(subscription, 2, 1, 0);
        assertThat(positions()).as("already applied: skipped").containsExactly(pos(0), pos(1), pos(2));
        assertThat(checkpoint()).isEqualTo(pos(2));
    }

    @Test
    void a_gap_is_filled_from_the_store_before_going_on() {
        Subscription subscription = subscription(2000);
        deliver(subscription, 0);
        deliver(subscription, 3);
        // The store is read from the checkpoint on, a page at a time: the hole, the delivery, and what follows.
        assertThat(positions()).containsExactly(pos(0), pos(1), pos(2), pos(3), pos(4));
        assertThat(applied.get(0).payload()).isEqualTo(DELIVERED);
        assertThat(applied.subList(1, 5)).as("the hole and the rest came from the store")
                .noneMatch(e -> e.payload().equals(DELIVERED));
        deliver(subscription, 4, 2);
        assertThat(positions()).as("late deliveries: skipped").containsExactly(pos(0), pos(1), pos(2), pos(3), pos(4));
        assertThat(checkpoint()).isEqualTo(pos(4));
    }

    @Test
    void a_subscriber_too_far_behind_catches_up_from_the_store_in_pages() {
        Subscription subscription = subscription(2);
        deliver(subscription, 0, 1, 2, 3, 4);
        assertThat(positions()).containsExactly(pos(0), pos(1), pos(2), pos(3), pos(4));
        assertThat(applied).as("read from the store, not from the deliveries")
                .noneMatch(e -> e.payload().equals(DELIVERED));
    }

    private Subscription subscription(long catchUpDistance) {
        return new Subscription(recorder, pool, log, 500, catchUpDistance, () -> {
        });
    }

    /** Delivers, in one batch, the new events at these indexes, each with the marked payload. */
    private void deliver(Subscription subscription, int... indexes) {
        List<Delivery> batch = new ArrayList<>();
        for (int index : indexes) {
            RecordedEvent e = events.get(index);
            batch.add(new Delivery(new RecordedEvent(e.position(), e.eventId(), e.streamId(), e.streamVersion(),
                    e.type(), DELIVERED, null, e.recordedAt()), () -> {
                    }));
        }
        subscription.deliver(batch).await().atMost(Duration.ofSeconds(10));
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

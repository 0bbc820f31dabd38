package io.stormwatch.projection;

import static io.stormwatch.support.Commands.newStationId;
import static io.stormwatch.support.Commands.observation;
import static io.stormwatch.support.Commands.register;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

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
import io.stormwatch.platform.StormwatchConfig;
import io.stormwatch.support.DirectCommands;
import io.stormwatch.support.Sql;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.eventbus.EventBus;
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

    @Inject
    StormwatchConfig config;

    @Inject
    EventBus eventBus;

    /** Records the events it is given (in memory: what it is given, not what commits); fails while told to. */
    private static final class Recorder implements EventHandler {
        final String name = "test-" + UUID.randomUUID();
        final List<String> types;
        final List<RecordedEvent> applied = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger commits = new AtomicInteger();
        /** The transaction of each call: handlers run together are given the same one. */
        final List<SqlConnection> transactions = Collections.synchronizedList(new ArrayList<>());
        volatile boolean failing;

        Recorder(List<String> types) {
            this.types = types;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public List<String> eventTypes() {
            return types;
        }

        @Override
        public Uni<Void> apply(SqlConnection tx, List<RecordedEvent> events) {
            if (failing) {
                return Uni.createFrom().failure(new IllegalStateException(name + " told to fail"));
            }
            applied.addAll(events);
            transactions.add(tx);
            return Uni.createFrom().voidItem();
        }

        @Override
        public void committed() {
            commits.incrementAndGet();
        }

        List<Long> positions() {
            return applied.stream().map(RecordedEvent::position).toList();
        }
    }

    private final Recorder recorder = new Recorder(Event.typeNames());
    /** A second handler, of observations only, for the runs together. */
    private final Recorder observations = new Recorder(List.of("ObservationRecorded"));
    /** A third, of a type the events here are not. */
    private final Recorder alerts = new Recorder(List.of("AlertRaised"));
    private long start;
    private String station;
    private List<RecordedEvent> events;

    @BeforeEach
    void fiveNewEvents() {
        long head = sql.count("SELECT coalesce(max(position), 0) FROM event");
        start = head;
        sql.query("INSERT INTO projection_checkpoint (name, position) VALUES ($1, $2), ($3, $2), ($4, $2)",
                recorder.name(), head, observations.name(), alerts.name());
        station = newStationId("SUB");
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
        sql.query("DELETE FROM projection_checkpoint WHERE name = ANY($1)",
                (Object) new String[] {recorder.name(), observations.name(), alerts.name()});
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

    @Test
    void handlers_run_together_get_their_own_events_once_in_one_transaction() {
        Map<String, List<Long>> committed = new ConcurrentHashMap<>();
        Subscription together = new Subscription(List.of(recorder, observations, alerts), pool, log, recentEvents, 6,
                Duration.ZERO, (name, position) -> committed.computeIfAbsent(name,
                        n -> Collections.synchronizedList(new ArrayList<>())).add(position));
        together.catchUp().await().atMost(Duration.ofSeconds(10));

        assertThat(recorder.positions()).containsExactly(pos(0), pos(1), pos(2), pos(3), pos(4));
        assertThat(observations.positions()).as("its own types only").containsExactly(pos(1), pos(2), pos(3), pos(4));
        assertThat(alerts.applied).isEmpty();
        assertThat(checkpoint(recorder)).isEqualTo(pos(4));
        assertThat(checkpoint(observations)).isEqualTo(pos(4));
        assertThat(checkpoint(alerts)).as("past the events of other types").isEqualTo(pos(4));
        assertThat(committed.get(recorder.name())).as("one transaction, the handlers together in it")
                .containsExactly(pos(4))
                .isEqualTo(committed.get(observations.name()))
                .isEqualTo(committed.get(alerts.name()));
        assertThat(recorder.transactions).hasSize(1).isEqualTo(observations.transactions);
        assertThat(recorder.commits).as("told of a commit in which it applied events").hasValue(1);
        assertThat(observations.commits).hasValue(1);
        assertThat(alerts.commits).hasValue(0);
    }

    @Test
    void a_backlog_of_a_full_page_is_not_run_together() {
        assertThatThrownBy(() -> together(5).catchUp().await().atMost(Duration.ofSeconds(10)))
                .isInstanceOf(Subscription.Apart.class).hasMessageContaining("a full page");
        assertThat(recorder.applied).isEmpty();
        assertThat(checkpoint(recorder)).isEqualTo(start);
        assertThat(checkpoint(observations)).isEqualTo(start);
    }

    @Test
    void a_handler_behind_the_other_is_given_the_events_after_its_own_checkpoint() {
        sql.query("UPDATE projection_checkpoint SET position = $2 WHERE name = $1", recorder.name(), pos(2));
        together(500).catchUp().await().atMost(Duration.ofSeconds(10));

        assertThat(recorder.positions()).containsExactly(pos(3), pos(4));
        assertThat(observations.positions()).containsExactly(pos(1), pos(2), pos(3), pos(4));
        assertThat(checkpoint(recorder)).isEqualTo(pos(4));
        assertThat(checkpoint(observations)).isEqualTo(pos(4));
    }

    @Test
    void checkpoints_more_than_a_page_apart_are_not_run_together() {
        sql.query("UPDATE projection_checkpoint SET position = $2 WHERE name = $1", recorder.name(), pos(4));
        assertThatThrownBy(() -> together(2).catchUp().await().atMost(Duration.ofSeconds(10)))
                .isInstanceOf(Subscription.Apart.class).hasMessageContaining("apart");
        assertThat(observations.applied).isEmpty();
        assertThat(checkpoint(observations)).isEqualTo(start);
    }

    @Test
    void one_failing_handler_rolls_back_the_run_together() {
        observations.failing = true;
        assertThatThrownBy(() -> together(500).catchUp().await().atMost(Duration.ofSeconds(10)))
                .hasMessageContaining("told to fail");
        assertThat(recorder.applied).as("it was given the page").hasSize(5);
        assertThat(checkpoint(recorder)).as("but nothing of the run committed").isEqualTo(start);
        assertThat(checkpoint(observations)).isEqualTo(start);
        assertThat(recorder.commits).as("and it is not told of a commit").hasValue(0);
    }

    @Test
    void after_a_failure_together_the_others_go_on_alone_and_all_run_together_once_it_is_mended() {
        Subscriptions subscriptions = new Subscriptions(List.of(recorder, observations), pool, log, recentEvents,
                config, eventBus);
        observations.failing = true;
        subscriptions.catchUpAll().await().atMost(Duration.ofSeconds(10));
        assertThat(checkpoint(recorder)).as("the healthy handler, alone").isEqualTo(pos(4));
        assertThat(checkpoint(observations)).isEqualTo(start);
        assertThat(subscriptions.apart()).isTrue();

        subscriptions.catchUpAll().await().atMost(Duration.ofSeconds(10));
        assertThat(subscriptions.apart()).as("while one fails").isTrue();

        observations.failing = false;
        subscriptions.catchUpAll().await().atMost(Duration.ofSeconds(10));
        assertThat(checkpoint(observations)).isEqualTo(pos(4));
        assertThat(observations.positions()).containsExactly(pos(1), pos(2), pos(3), pos(4));
        assertThat(subscriptions.apart()).as("all succeeded: together again").isFalse();

        recorder.applied.clear();
        observations.applied.clear();
        commands.execute(List.of(observation(station, Instant.now().minusSeconds(60), 7)))
                .await().atMost(Duration.ofSeconds(10));
        long head = sql.count("SELECT max(position) FROM event");
        subscriptions.catchUpAll().await().atMost(Duration.ofSeconds(10));
        assertThat(recorder.positions()).containsExactly(head);
        assertThat(observations.positions()).containsExactly(head);
        assertThat(recorder.transactions.getLast()).as("in one transaction")
                .isSameAs(observations.transactions.getLast());
        assertThat(subscriptions.apart()).isFalse();
    }

    private Subscription together(int pageSize) {
        return new Subscription(List.of(recorder, observations), pool, log, recentEvents, pageSize, Duration.ZERO,
                (name, position) -> {
                });
    }

    private Subscription subscription(int pageSize) {
        return new Subscription(List.of(recorder), pool, log, recentEvents, pageSize, Duration.ZERO, (name, position) -> {
        });
    }

    private long pos(int index) {
        return events.get(index).position();
    }

    private List<Long> positions() {
        return recorder.positions();
    }

    private long checkpoint() {
        return checkpoint(recorder);
    }

    private long checkpoint(EventHandler handler) {
        return sql.count("SELECT position FROM projection_checkpoint WHERE name = $1", handler.name());
    }
}

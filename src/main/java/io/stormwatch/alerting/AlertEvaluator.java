package io.stormwatch.alerting;

import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.inject.Singleton;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.stormwatch.api.Event.AlertRuleDefined;
import io.stormwatch.api.Event.AlertRuleRemoved;
import io.stormwatch.api.Event.ObservationRecorded;
import io.stormwatch.api.Event.StationRegistered;
import io.stormwatch.api.Event;
import io.stormwatch.domain.AlertEvaluation.Location;
import io.stormwatch.domain.AlertEvaluation;
import io.stormwatch.domain.AlertRule;
import io.stormwatch.domain.AlertState;
import io.stormwatch.eventstore.EventCodec;
import io.stormwatch.eventstore.EventStore;
import io.stormwatch.eventstore.RecordedEvent;
import io.stormwatch.eventstore.SqlTransaction;
import io.stormwatch.platform.Tracing;
import io.stormwatch.projection.EventHandler;
import io.vertx.mutiny.core.eventbus.EventBus;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * The alert evaluator: an event handler on observations and rule changes. For each batch its subscription gives
 * it, it takes the append lock, evaluates every event in order against the rules and the (station, rule) states,
 * appends the alert events, and saves the states, all in the transaction that moves its checkpoint. So an
 * observation delivered twice is evaluated once, and a restart resumes with the states as the log left them.
 */
@Singleton
public class AlertEvaluator implements EventHandler {

    public static final String NAME = "alert-evaluator";

    private final EventCodec codec;
    private final EventStore eventStore;
    private final AlertStore store;
    private final AlertAppender appender;
    private final EventBus eventBus;
    private final AlertEvaluation evaluation = new AlertEvaluation(() -> UUID.randomUUID().toString());
    private final Clock clock = Clock.systemUTC();
    /** Alert events appended by the transaction in progress, counted once it commits. */
    private final AtomicReference<List<Event>> uncommitted = new AtomicReference<>(List.of());
    private final Tracing tracing;

    public AlertEvaluator(EventCodec codec, EventStore eventStore, AlertStore store, AlertAppender appender,
            EventBus eventBus, Tracing tracing) {
        this.codec = codec;
        this.tracing = tracing;
        this.eventStore = eventStore;
        this.store = store;
        this.appender = appender;
        this.eventBus = eventBus;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> eventTypes() {
        return Event.names(ObservationRecorded.class, AlertRuleDefined.class, AlertRuleRemoved.class);
    }

    @Override
    public Uni<Void> apply(SqlConnection tx, List<RecordedEvent> events) {
        List<Event> decoded = events.stream().map(codec::decode).toList();
        Set<String> stations = new LinkedHashSet<>();
        decoded.forEach(e -> {
            if (e instanceof ObservationRecorded recorded) {
                stations.add(recorded.observation().stationId());
            }
        });
        // The append lock is taken only when there are alert events to append, just before appending: most
        // batches raise nothing, and the lock would hold the command path back while they are evaluated.
        return store.rules(tx)
                .chain(rules -> {
                    Set<String> watched = EvaluationBatch.watched(stations, rules.values(), decoded);
                    return states(tx, watched).map(loaded -> new EvaluationBatch(tx, rules, loaded, tracing))
                            .call(batch -> locations(batch, watched));
                })
                .chain(batch -> Multi.createFrom().range(0, events.size())
                        .onItem().transformToUniAndConcatenate(i -> evaluate(batch, events.get(i), decoded.get(i)))
                        .collect().last()
                        .chain(() -> batch.out.isEmpty() ? Uni.createFrom().item(0)
                                : appender.append(tx, batch.out))
                        .invoke(() -> uncommitted.set(batch.out.stream().map(AlertAppender.Caused::event).toList()))
                        .chain(() -> store.save(tx, batch.states.values())));
    }

    private Uni<List<AlertState>> states(SqlConnection tx, Set<String> stations) {
        return stations.isEmpty() ? Uni.createFrom().item(List.of()) : store.statesOfStations(tx, stations);
    }

    private Uni<Void> locations(EvaluationBatch batch, Set<String> stations) {
        List<String> streams = stations.stream().map(Event::stationStream).toList();
        return eventStore.streamStates(new SqlTransaction(batch.tx), streams)
                .invoke(states -> states.registrations().values().forEach(json -> {
                    StationRegistered station = codec.read(json, StationRegistered.class);
                    batch.locations.put(station.stationId(), new Location(station.latitude(), station.longitude()));
                })).replaceWithVoid();
    }

    private Uni<Void> evaluate(EvaluationBatch batch, RecordedEvent stored, Event event) {
        return switch (event) {
            case ObservationRecorded recorded -> {
                String stationId = recorded.observation().stationId();
                for (AlertRule rule : batch.rules.values()) {
                    if (rule.appliesTo(stationId)) {
                        batch.apply(evaluation.observe(rule, batch.state(stationId, rule.ruleId()),
                                recorded.observation(), batch.locations.get(stationId), clock.instant()), stored);
                    }
                }
                yield Uni.createFrom().voidItem();
            }
            case AlertRuleDefined defined -> {
                AlertRule rule = AlertRule.of(defined);
                batch.rules.put(rule.ruleId(), rule);
                yield store.saveRule(batch.tx, defined, stored.position())
                        .chain(() -> activeOf(batch, rule.ruleId()))
                        .invoke(active -> active.forEach(s -> batch.apply(evaluation.redefine(rule, s,
                                clock.instant()), stored)))
                        .replaceWithVoid();
            }
            case AlertRuleRemoved removed -> {
                batch.rules.remove(removed.ruleId());
                yield activeOf(batch, removed.ruleId())
                        .invoke(active -> active.forEach(s -> batch.apply(evaluation.clear(s, "rule-removed"),
                                stored)))
                        .chain(() -> store.deleteRule(batch.tx, removed.ruleId()))
                        .invoke(() -> batch.forget(removed.ruleId()));
            }
            default -> Uni.createFrom().voidItem();
        };
    }

    /** The rule's states with an active alert: those of this batch, and those stored. */
    private Uni<List<AlertState>> activeOf(EvaluationBatch batch, String ruleId) {
        return store.activeOfRule(batch.tx, ruleId).map(stored -> {
            stored.forEach(batch::keepIfAbsent);
            return batch.activeOf(ruleId);
        });
    }

    @Override
    public void committed() {
        List<Event> appended = uncommitted.getAndSet(List.of());
        if (!appended.isEmpty()) {
            appender.count(appended);
            eventBus.publish(EventStore.APPENDED, 0L);
        }
    }
}

package io.stormwatch.alerting;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Singleton;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.stormwatch.domain.AlertEvaluation.Outcome;
import io.stormwatch.domain.AlertEvaluation;
import io.stormwatch.domain.AlertRule;
import io.stormwatch.domain.AlertState;
import io.stormwatch.eventstore.EventStore;
import io.stormwatch.platform.RepeatedFailure;
import io.stormwatch.platform.StormwatchConfig;
import io.vertx.mutiny.core.eventbus.EventBus;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Alert expiry, a deadline kept in PostgreSQL ({@code alert_state.expires_at}), so it survives restarts and any
 * replica may act on it: an active alert past its CAP {@code expires} is re-issued with a new expiry if its station
 * has reported since, or cleared as {@code expired}. Runs under the append lock, like the evaluator.
 */
@Singleton
public class AlertExpiry {

    private static final int BATCH = 100;

    private final Pool pool;
    private final AlertStore store;
    private final AlertAppender appender;
    private final EventBus eventBus;
    private final AlertEvaluation evaluation = new AlertEvaluation(() -> {
        throw new IllegalStateException("expiry never raises an alert");
    });
    private final Clock clock = Clock.systemUTC();
    private final RepeatedFailure failures = new RepeatedFailure(AlertExpiry.class, "the alert expiry check");

    public AlertExpiry(Pool pool, AlertStore store, AlertAppender appender, EventBus eventBus) {
        this.pool = pool;
        this.store = store;
        this.appender = appender;
        this.eventBus = eventBus;
    }

    @Scheduled(every = "${stormwatch.alerts.expiry-check-interval:" + StormwatchConfig.Alerts.DEFAULT_EXPIRY_CHECK_INTERVAL
            + "}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public Uni<Void> check() {
        return expireDue()
                .invoke(failures::succeeded)
                .onFailure().invoke(failures::failed)
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /** Handles up to a batch of due alerts; gives how many alert events it appended. */
    public Uni<Integer> expireDue() {
        // Rows first, then the append lock, in the evaluator's order (two orders could deadlock), and only when
        // something is due: the check runs every second and must not hold the command path back.
        return pool.withTransaction(tx -> store.expired(tx, BATCH)
                .chain(due -> {
                    if (due.isEmpty()) {
                        return Uni.createFrom().item(List.<AlertAppender.Caused>of());
                    }
                    return store.rules(tx).chain(rules -> {
                        List<AlertAppender.Caused> out = new ArrayList<>();
                        List<AlertState> states = new ArrayList<>();
                        for (AlertState state : due) {
                            AlertRule rule = rules.get(state.ruleId());
                            Outcome outcome = rule == null ? evaluation.clear(state, "rule-removed")
                                    : evaluation.expire(rule, state, clock.instant());
                            outcome.events().forEach(e -> out.add(new AlertAppender.Caused(e, "expiry", null)));
                            states.add(outcome.state());
                        }
                        return appender.append(tx, out)
                                .call(() -> store.save(tx, states)).replaceWith(out);
                    });
                }))
                .invoke(appended -> {
                    if (!appended.isEmpty()) {
                        appender.count(appended.stream().map(AlertAppender.Caused::event).toList());
                        eventBus.publish(EventStore.APPENDED, 0L);
                    }
                })
                .map(List::size);
    }
}

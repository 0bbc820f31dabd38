package io.stormwatch.publication;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.ConsumeEvent;
import io.smallrye.mutiny.Uni;
import io.stormwatch.alerting.CapPublication;
import io.stormwatch.amqp.AmqpClients;
import io.stormwatch.deadletter.DeadLetters;
import io.stormwatch.eventstore.EventFilter;
import io.stormwatch.eventstore.EventLog;
import io.stormwatch.eventstore.EventStore;
import io.stormwatch.eventstore.RecentEvents;
import io.stormwatch.platform.Metrics;
import io.stormwatch.platform.StormwatchConfig;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * The two publications of the event store: every event to weather.events (CloudEvents), and the alert lifecycle
 * to weather.alerts (CAP 1.2). Each has its own position and lease, and a poll; the first wakes on every local
 * commit, the second on those that may hold alert events.
 */
@Singleton
public class Publishers {

    public static final String EVENTS = "events";
    public static final String ALERTS = "alerts";

    private final Publisher events;
    private final Publisher alerts;
    private final AppendedTypes alertsAppended;

    public Publishers(PublicationStore store, EventLog log, RecentEvents recentEvents, DeadLetters deadLetters,
            Pool pool, Vertx vertx, AmqpClients clients, StormwatchConfig config, CapPublication cap, Metrics metrics) {
        String owner = System.getenv().getOrDefault("HOSTNAME", "stormwatch") + "-" + UUID.randomUUID();
        String source = config.publication().source();
        this.events = new Publisher(EVENTS, config.publication().eventsAddress(), EventFilter.ALL,
                event -> Uni.createFrom().item(CloudEventWriter.toMessage(event, source)), store, log, deadLetters,
                pool, vertx, clients, config.publication(), owner, metrics);
        this.alerts = new Publisher(ALERTS, config.alerts().address(), new EventFilter(cap.types(), null),
                cap::toMessage, store, log, deadLetters, pool, vertx, clients, config.publication(), owner, metrics);
        this.alertsAppended = new AppendedTypes(recentEvents, cap.types());
    }

    void start(@Observes StartupEvent started) {
        events.start();
        alerts.start();
    }

    void stop(@Observes ShutdownEvent stopped) {
        events.stop();
        alerts.stop();
    }

    /** Every append wakes the publication of all events; only appends that may hold alert events wake the other. */
    @ConsumeEvent(EventStore.APPENDED)
    public Uni<Void> onAppended(long head) {
        events.trigger();
        if (alertsAppended.mayHold(head)) {
            alerts.trigger();
        }
        return Uni.createFrom().voidItem();
    }

    public Publisher events() {
        return events;
    }

    public Publisher alerts() {
        return alerts;
    }

    public List<Publisher> all() {
        return List.of(events, alerts);
    }
}

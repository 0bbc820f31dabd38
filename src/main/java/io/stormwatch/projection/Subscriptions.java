package io.stormwatch.projection;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ObjLongConsumer;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;
import io.quarkus.vertx.ConsumeEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.stormwatch.eventstore.EventLog;
import io.stormwatch.eventstore.EventStore;
import io.stormwatch.eventstore.RecentEvents;
import io.stormwatch.platform.ProjectionConfig;
import io.stormwatch.platform.RepeatedFailure;
import io.stormwatch.platform.StormwatchConfig;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.eventbus.EventBus;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * The subscriptions of every event handler in the service, and the poll that keeps them up with the store. The
 * handlers run together, in one transaction per page ({@link Subscription}); when a run together fails, or finds
 * their checkpoints apart, each runs alone until a round of them all succeeds, so that one handler's failure never
 * holds the others back.
 */
@Singleton
public class Subscriptions {

    private static final Logger LOG = Logger.getLogger(Subscriptions.class);

    /**
     * Local event-bus address told {@code {"projection": name, "position": checkpoint}} when a handler here committed
     * (read-your-writes waits on it).
     */
    public static final String PROJECTED = "stormwatch.projected";

    private final List<EventHandler> handlers = new ArrayList<>();
    private final Subscription together;
    private final Map<String, Subscription> alone = new LinkedHashMap<>();
    /** Each handler's catch-up failures when it runs alone, logged once per failure rather than once per poll. */
    private final Map<String, RepeatedFailure> failures = new LinkedHashMap<>();
    /** Whether the handlers run alone, after a run together failed, until a round of them all succeeds. */
    private volatile boolean apart;

    @Inject
    public Subscriptions(Instance<EventHandler> handlers, Pool pool, EventLog log, RecentEvents recentEvents,
            StormwatchConfig config, EventBus eventBus) {
        this((Iterable<EventHandler>) handlers, pool, log, recentEvents, config, eventBus);
    }

    Subscriptions(Iterable<EventHandler> handlers, Pool pool, EventLog log, RecentEvents recentEvents,
            StormwatchConfig config, EventBus eventBus) {
        ObjLongConsumer<String> projected = (name, position) -> eventBus.publish(PROJECTED,
                new JsonObject().put("projection", name).put("position", position));
        for (EventHandler handler : handlers) {
            this.handlers.add(handler);
            failures.put(handler.name(), new RepeatedFailure(Subscriptions.class, handler.name() + " catch-up"));
            alone.put(handler.name(), new Subscription(List.of(handler), pool, log, recentEvents,
                    config.projection().pageSize(), config.projection().linger(), projected));
        }
        together = new Subscription(this.handlers, pool, log, recentEvents,
                config.projection().pageSize(), config.projection().linger(), projected);
    }

    /** The subscription of one handler alone. */
    public Subscription get(String name) {
        Subscription subscription = alone.get(name);
        if (subscription == null) {
            throw new IllegalArgumentException("no event handler named " + name);
        }
        return subscription;
    }

    public List<EventHandler> handlers() {
        return Collections.unmodifiableList(handlers);
    }

    /** Whether the handlers run alone now (after a run together failed), for the tests. */
    boolean apart() {
        return apart;
    }

    /** After every local append (commands, alert events): the handlers read what was just written. */
    @ConsumeEvent(EventStore.APPENDED)
    public Uni<Void> onAppended(long head) {
        return catchUpAll();
    }

    /**
     * Catches every handler up with the store on a timer as well: for events appended by other replicas (whose own
     * handlers normally get there first, the checkpoints being shared), and after a failed run.
     */
    @Scheduled(every = "${stormwatch.projection.poll-interval:" + ProjectionConfig.DEFAULT_POLL_INTERVAL + "}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public Uni<Void> poll() {
        return catchUpAll();
    }

    /** Catches every handler up: together, or each alone while they run apart (see the class). */
    public Uni<Void> catchUpAll() {
        if (apart) {
            return eachAlone();
        }
        return together.catchUp().onFailure().recoverWithUni(e -> {
            // Nothing of the failed run was applied. Each handler alone logs its own failure, if it fails again.
            LOG.debugf("the event handlers run alone until they all succeed: %s", e.toString());
            apart = true;
            return eachAlone();
        });
    }

    /** The handlers run side by side, each on its own connection; together again once they all succeed. */
    private Uni<Void> eachAlone() {
        return Multi.createFrom().iterable(alone.entrySet())
                .onItem().transformToUniAndMerge(one -> one.getValue().catchUp().replaceWith(true)
                        .invoke(() -> failures.get(one.getKey()).succeeded())
                        .onFailure().invoke(e -> failures.get(one.getKey()).failed(e))
                        .onFailure().recoverWithItem(false))
                .collect().asList()
                .invoke(succeeded -> {
                    if (!succeeded.contains(false)) {
                        apart = false;
                    }
                })
                .replaceWithVoid();
    }
}

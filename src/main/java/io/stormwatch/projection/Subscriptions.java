package io.stormwatch.projection;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;
import io.quarkus.vertx.ConsumeEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.stormwatch.command.CommandService;
import io.stormwatch.eventstore.EventLog;
import io.stormwatch.eventstore.RecentEvents;
import io.stormwatch.infra.StormwatchConfig;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.eventbus.EventBus;
import io.vertx.mutiny.sqlclient.Pool;

/** The subscription of every event handler in the service, and the poll that keeps them up with the store. */
@ApplicationScoped
public class Subscriptions {

    private static final Logger LOG = Logger.getLogger(Subscriptions.class);

    private final Map<String, Subscription> byName = new LinkedHashMap<>();

    /**
     * Local event-bus address told {@code {"projection": name, "position": checkpoint}} when a handler here committed
     * (read-your-writes waits on it).
     */
    public static final String PROJECTED = "stormwatch.projected";

    public Subscriptions(Instance<EventHandler> handlers, Pool pool, EventLog log, RecentEvents recentEvents,
            StormwatchConfig config, EventBus eventBus) {
        for (EventHandler handler : handlers) {
            byName.put(handler.name(), new Subscription(handler, pool, log, recentEvents,
                    config.projection().pageSize(), config.projection().linger(),
                    position -> eventBus.publish(PROJECTED,
                            new JsonObject().put("projection", handler.name()).put("position", position))));
        }
    }

    public Subscription get(String name) {
        Subscription subscription = byName.get(name);
        if (subscription == null) {
            throw new IllegalArgumentException("no event handler named " + name);
        }
        return subscription;
    }

    public Collection<Subscription> all() {
        return byName.values();
    }

    /** After every local append (commands, alert events): the handlers read what was just written. */
    @ConsumeEvent(CommandService.APPENDED)
    public Uni<Void> onAppended(long head) {
        return catchUpAll();
    }

    /**
     * Catches every handler up with the store on a timer as well: for events appended by other replicas (whose own
     * handlers normally get there first, the checkpoints being shared), and after a failed run.
     */
    @Scheduled(every = "${stormwatch.projection.poll-interval:" + StormwatchConfig.Projection.DEFAULT_POLL_INTERVAL + "}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public Uni<Void> poll() {
        return catchUpAll();
    }

    /** The handlers run side by side, each on its own connection. */
    public Uni<Void> catchUpAll() {
        return Multi.createFrom().iterable(byName.values())
                .onItem().transformToUniAndMerge(subscription -> subscription.catchUp()
                        .onFailure().invoke(e -> LOG.warnf("%s: catch-up stopped at a failure, retrying on the next"
                                + " poll: %s", subscription.handler().name(), e.toString()))
                        .onFailure().recoverWithNull())
                .collect().last().replaceWithVoid();
    }
}

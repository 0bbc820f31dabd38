package io.stormwatch.messaging;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.health.api.Wellness;
import io.stormwatch.infra.StormwatchConfig;
import io.vertx.mutiny.core.Vertx;

/** The link to weather.queries, feeding {@link QueryConsumer}; its state is a wellness check, as the command link's. */
@Singleton
@Wellness
public class QueryReceiver implements HealthCheck {

    private final ReceiverLink link;

    public QueryReceiver(AmqpClients clients, QueryConsumer consumer, Vertx vertx, StormwatchConfig config) {
        this.link = new ReceiverLink("queries", config.queries().address(), config.queries().durable(),
                consumer.maxConcurrent(), config.queries().maxMessageBytes(),
                limit -> AmqpMessages.rejectedUnread("query", limit, "stormwatch.queries.max-message-bytes"),
                consumer::newPipeline, clients, vertx);
    }

    void start(@Observes StartupEvent started) {
        link.start();
    }

    void stop(@Observes ShutdownEvent stopped) {
        link.stop();
    }

    public ReceiverLink link() {
        return link;
    }

    @Override
    public HealthCheckResponse call() {
        return link.health();
    }
}

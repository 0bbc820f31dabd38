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

/**
 * The link to weather.commands, feeding {@link CommandConsumer}. Its state is a wellness check (/q/health/well), not a
 * readiness check: a replica without the broker still serves reads and the HTTP gateway (docs/operations.md, Health).
 */
@Singleton
@Wellness
public class CommandReceiver implements HealthCheck {

    private final ReceiverLink link;

    public CommandReceiver(AmqpClients clients, CommandConsumer consumer, Vertx vertx, StormwatchConfig config) {
        this.link = new ReceiverLink("commands", config.commands().address(), config.commands().durable(),
                consumer.maxInFlight(), config.commands().maxMessageBytes(),
                limit -> AmqpMessages.rejectedUnread("command", limit, "stormwatch.commands.max-message-bytes"),
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

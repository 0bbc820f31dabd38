package io.stormwatch.messaging;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.stormwatch.infra.StormwatchConfig;
import io.vertx.amqp.AmqpReceiverOptions;
import io.vertx.mutiny.amqp.AmqpClient;
import io.vertx.mutiny.amqp.AmqpConnection;
import io.vertx.mutiny.amqp.AmqpReceiver;
import io.vertx.mutiny.core.Vertx;

/**
 * The link to weather.commands, kept attached: it connects at start, and after any loss of the connection or the
 * link it reconnects with a growing pause (up to 10 s), for as long as the service runs. Each attachment feeds a
 * fresh {@link CommandConsumer} pipeline; messages in flight on a lost link are redelivered by the broker.
 * <p>
 * The link is managed here rather than by a SmallRye channel because the connector parses an application/json
 * body while it builds the message, and drops one that does not parse without settling it (SRMSG16229): a
 * malformed command would get no answer. Here the body reaches {@link AmqpCommands} untouched.
 */
@ApplicationScoped
@Readiness
public class CommandReceiver implements HealthCheck {

    private static final Logger LOG = Logger.getLogger(CommandReceiver.class);
    private static final Duration MAX_PAUSE = Duration.ofSeconds(10);

    private final AmqpClients clients;
    private final CommandConsumer consumer;
    private final Vertx vertx;
    private final StormwatchConfig.Commands config;
    private final AmqpClient client;
    private volatile AmqpConnection connection;
    private volatile boolean attached;
    private volatile boolean stopping;
    private volatile String lastFailure = "not connected yet";
    private int failures;
    /** Numbers connection attempts, so that the several signals of one loss reconnect once. */
    private long attempt;

    public CommandReceiver(AmqpClients clients, CommandConsumer consumer, Vertx vertx, StormwatchConfig config) {
        this.clients = clients;
        this.consumer = consumer;
        this.vertx = vertx;
        this.config = config.commands();
        this.client = clients.create("stormwatch-commands-" + UUID.randomUUID());
    }

    void start(@Observes StartupEvent started) {
        connect();
    }

    /** Stops taking commands; what is in flight and not yet acknowledged is redelivered by the broker. */
    void stop(@Observes ShutdownEvent stopped) {
        stopping = true;
        attached = false;
        AmqpConnection current = connection;
        if (current != null) {
            current.closeAndForget();
        }
        client.closeAndForget();
    }

    private void connect() {
        long current;
        synchronized (this) {
            if (stopping) {
                return;
            }
            current = ++attempt;
        }
        AmqpReceiverOptions options = new AmqpReceiverOptions()
                .setAutoAcknowledgement(false)
                .setDurable(config.durable())
                .setCapabilities(List.of("queue"))
                .setMaxBufferedMessages(consumer.maxInFlight());
        client.connect()
                .invoke(c -> {
                    // Registered before the link exists, so a loss at any point from here on is seen.
                    connection = c;
                    c.exceptionHandler(failure -> lost(current, failure));
                })
                .chain(c -> c.createReceiver(config.address(), options))
                .subscribe().with(receiver -> attached(current, receiver), failure -> lost(current, failure));
    }

    private synchronized void attached(long attached, AmqpReceiver receiver) {
        if (stopping || attached != attempt) {
            // This attempt was already given up (its connection failed meanwhile): a newer one is on its way.
            receiver.closeAndForget();
            return;
        }
        this.attached = true;
        failures = 0;
        LOG.infof("Receiving commands from %s on %s", config.address(), clients.endpoint());
        receiver.toMulti().subscribe().withSubscriber(consumer.newPipeline(end -> lost(attached, end)));
    }

    private synchronized void lost(long lostAttempt, Throwable failure) {
        if (stopping || lostAttempt != attempt) {
            return;
        }
        attempt++;
        attached = false;
        lastFailure = failure == null ? "link closed" : failure.toString();
        AmqpConnection current = connection;
        connection = null;
        if (current != null) {
            current.closeAndForget();
        }
        long pause = Math.min(MAX_PAUSE.toMillis(), 250L << Math.min(failures++, 6));
        LOG.warnf("Command link to %s lost (%s); reconnecting in %d ms", config.address(), lastFailure, pause);
        vertx.setTimer(pause, id -> connect());
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("commands link (" + config.address() + ")")
                .status(attached)
                .withData("lastFailure", attached ? "none" : lastFailure)
                .build();
    }
}

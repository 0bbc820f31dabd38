package io.stormwatch.amqp;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Flow;
import java.util.function.Consumer;
import java.util.function.Function;

import org.apache.qpid.proton.amqp.transport.DeliveryState;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.jboss.logging.Logger;

import io.vertx.amqp.AmqpReceiverOptions;
import io.vertx.mutiny.amqp.AmqpClient;
import io.vertx.mutiny.amqp.AmqpConnection;
import io.vertx.mutiny.amqp.AmqpMessage;
import io.vertx.mutiny.amqp.AmqpReceiver;
import io.vertx.mutiny.core.Vertx;

/**
 * A link to a queue (weather.commands, weather.queries), kept attached: it connects at start, and after any loss
 * of the connection or the link it reconnects with a growing pause (up to 10 s), for as long as the service runs.
 * Each attachment feeds a fresh pipeline; messages in flight on a lost link are redelivered by the broker.
 * <p>
 * The command and query channels have one each, under {@link QueueConnector}; the broker's dead-letter drain has
 * one of its own.
 * <p>
 * A message larger than {@code maxMessageBytes} never reaches memory ({@link SizeLimit}); after it the link is
 * attached again at once.
 */
public final class ReceiverLink {

    /** How to settle a message over the link's size limit, whose frames were dropped unread. */
    @FunctionalInterface
    public interface Oversized {
        DeliveryState settle(long limit);
    }

    private static final Logger LOG = Logger.getLogger(ReceiverLink.class);
    private static final Duration MAX_PAUSE = Duration.ofSeconds(10);

    private final String kind;
    private final String address;
    private final boolean durable;
    private final int maxBuffered;
    private final SizeLimit sizeLimit;
    private final Function<Consumer<Throwable>, Flow.Subscriber<AmqpMessage>> pipelines;
    private final AmqpClients clients;
    private final Vertx vertx;
    private final AmqpClient client;
    private volatile AmqpConnection connection;
    private volatile boolean attached;
    private volatile boolean stopping;
    private volatile String lastFailure = "not connected yet";
    /** Since when the link has been down (nanoTime); meaningful while not attached. */
    private volatile long downSince = System.nanoTime();
    private int failures;
    /** Numbers connection attempts, so that the several signals of one loss reconnect once. */
    private long attempt;

    /**
     * @param kind what the link carries ("commands", "queries"), for logs and health
     * @param maxBuffered credit: messages taken from the broker and not yet settled
     * @param maxMessageBytes the largest message taken into memory (encoded, all sections)
     * @param oversized how a larger one is settled
     * @param pipelines a new pipeline for each attachment, told (with the failure, or null) when the link ends
     */
    public ReceiverLink(String kind, String address, boolean durable, int maxBuffered, long maxMessageBytes,
            Oversized oversized, Function<Consumer<Throwable>, Flow.Subscriber<AmqpMessage>> pipelines,
            AmqpClients clients, Vertx vertx) {
        this.kind = kind;
        this.address = address;
        this.durable = durable;
        this.maxBuffered = maxBuffered;
        this.sizeLimit = new SizeLimit(maxMessageBytes, oversized, name());
        this.pipelines = pipelines;
        this.clients = clients;
        this.vertx = vertx;
        this.client = clients.create("stormwatch-" + kind + "-" + UUID.randomUUID());
    }

    public void start() {
        connect();
    }

    /** Stops taking messages; what is in flight and not yet settled is redelivered by the broker. */
    public void stop() {
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
                .setDurable(durable)
                .setCapabilities(List.of("queue"))
                .setMaxBufferedMessages(maxBuffered);
        client.connect()
                .invoke(c -> {
                    // Registered before the link exists, so a loss at any point from here on is seen.
                    connection = c;
                    c.exceptionHandler(failure -> lost(current, failure));
                })
                .chain(c -> c.createReceiver(address, options))
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
        downSince = System.nanoTime();
        sizeLimit.applyTo(receiver.getDelegate().unwrap());
        LOG.infof("Receiving %s from %s on %s", kind, address, clients.endpoint());
        receiver.toMulti().subscribe().withSubscriber(pipelines.apply(end -> lost(attached, end)));
    }

    private synchronized void lost(long lostAttempt, Throwable failure) {
        if (stopping || lostAttempt != attempt) {
            return;
        }
        attempt++;
        if (attached) {
            downSince = System.nanoTime();
        }
        attached = false;
        lastFailure = failure == null ? "link closed" : failure.toString();
        AmqpConnection current = connection;
        connection = null;
        if (current != null) {
            current.closeAndForget();
        }
        long pause = Math.min(MAX_PAUSE.toMillis(), 250L << Math.min(failures++, 6));
        LOG.warnf("Link to %s (%s) lost (%s); reconnecting in %d ms", address, kind, lastFailure, pause);
        vertx.setTimer(pause, id -> connect());
    }

    /** How long the link has been down, or zero while it is attached. */
    public Duration downFor() {
        return attached ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - downSince);
    }

    public String name() {
        return kind + " link (" + address + ")";
    }

    public HealthCheckResponse health() {
        return HealthCheckResponse.named(kind + " link (" + address + ")")
                .status(attached)
                .withData("lastFailure", attached ? "none" : lastFailure)
                .build();
    }
}

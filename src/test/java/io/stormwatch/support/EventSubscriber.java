package io.stormwatch.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.awaitility.Awaitility;

import io.vertx.amqp.AmqpClientOptions;
import io.vertx.amqp.AmqpReceiverOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.amqp.AmqpClient;
import io.vertx.mutiny.amqp.AmqpConnection;
import io.vertx.mutiny.amqp.AmqpMessage;
import io.vertx.mutiny.core.Vertx;

/**
 * An outside subscriber of weather.events, as any AMQP 1.0 client would be: a durable subscription (its own
 * container id and link name), so that it survives a broker restart and gets what was published meanwhile.
 * It records every delivery, duplicates included, in arrival order.
 */
public final class EventSubscriber implements AutoCloseable {

    /** One delivery: the CloudEvents application properties and the body. */
    public record Received(long position, JsonObject properties, String body, String contentType, boolean durable) {
    }

    private final Vertx vertx;
    private final String address;
    private final String positionProperty;
    private final String containerId = "test-subscriber-" + UUID.randomUUID();
    private final List<Received> received = new ArrayList<>();
    private AmqpClient client;
    private AmqpConnection connection;

    public EventSubscriber(Vertx vertx, String address) {
        this(vertx, address, "cloudEvents:position");
    }

    /** A subscriber of another multicast address, whose messages carry their position in {@code positionProperty}. */
    public EventSubscriber(Vertx vertx, String address, String positionProperty) {
        this.vertx = vertx;
        this.address = address;
        this.positionProperty = positionProperty;
        connect();
    }

    /** Attaches (again) to the same durable subscription. */
    public void connect() {
        Map<String, String> config = BackingServices.current();
        AmqpClientOptions options = new AmqpClientOptions()
                .setHost(config.get("amqp-host"))
                .setPort(Integer.parseInt(config.get("amqp-port")))
                .setContainerId(containerId);
        Optional.ofNullable(config.get("amqp-username")).ifPresent(options::setUsername);
        Optional.ofNullable(config.get("amqp-password")).ifPresent(options::setPassword);
        client = AmqpClient.create(vertx, options);
        connection = client.connectAndAwait();
        connection.createReceiverAndAwait(BackingServices.topicPrefix() + address,
                        new AmqpReceiverOptions().setDurable(true).setLinkName("events"))
                .handler(this::record);
    }

    private synchronized void record(AmqpMessage message) {
        JsonObject properties = message.applicationProperties();
        String body = message.bodyAsBinary().toString();
        received.add(new Received(properties.getLong(positionProperty), properties, body,
                message.contentType(), message.isDurable()));
    }

    public synchronized List<Received> received() {
        return List.copyOf(received);
    }

    /** Positions in the order of their first delivery. */
    public synchronized List<Long> firstSeen() {
        return received.stream().map(Received::position).distinct().toList();
    }

    public void awaitPositions(Collection<Long> positions, Duration timeout) {
        Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(50))
                .until(() -> firstSeen().containsAll(positions));
    }

    /** Drops the connection without ending the subscription, as a crash or a broker restart would. */
    public void disconnect() {
        try {
            connection.closeAndAwait();
        } catch (RuntimeException ignored) {
            // already gone with the broker
        }
        client.closeAndForget();
    }

    @Override
    public void close() {
        disconnect();
    }

    public static List<Long> range(long fromExclusive, long toInclusive) {
        List<Long> positions = new ArrayList<>();
        for (long p = fromExclusive + 1; p <= toInclusive; p++) {
            positions.add(p);
        }
        return positions;
    }
}

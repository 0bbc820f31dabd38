package io.stormwatch.support;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.awaitility.Awaitility;

import io.vertx.amqp.AmqpClientOptions;
import io.vertx.amqp.AmqpReceiverOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.amqp.AmqpConnection;
import io.vertx.mutiny.amqp.AmqpMessage;
import io.vertx.mutiny.amqp.AmqpReceiver;
import io.vertx.mutiny.amqp.AmqpSender;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;

/**
 * A plain AMQP 1.0 client, as a station would use one (Vert.x AMQP client over Proton): sends commands to
 * weather.commands with a reply-to of its own and collects the replies by correlation id.
 */
public final class AmqpClient implements AutoCloseable {

    /** Connecting and attaching: a broker that does not answer fails the test here. */
    private static final Duration ATTACH = Duration.ofSeconds(15);

    private final io.vertx.mutiny.amqp.AmqpClient client;
    private final AmqpConnection connection;
    private final AmqpSender sender;
    private AmqpSender querySender;
    private final AmqpReceiver replies;
    private final String replyAddress;
    private final Map<String, JsonObject> received = new ConcurrentHashMap<>();

    public AmqpClient(Vertx vertx) {
        this(vertx, false);
    }

    /** With {@code dynamicReplies}, replies come to a dynamic node the broker names (Artemis only). */
    public AmqpClient(Vertx vertx, boolean dynamicReplies) {
        Map<String, String> config = BackingServices.current();
        AmqpClientOptions options = new AmqpClientOptions()
                .setHost(config.get("amqp-host"))
                .setPort(Integer.parseInt(config.get("amqp-port")));
        Optional.ofNullable(config.get("amqp-username")).ifPresent(options::setUsername);
        Optional.ofNullable(config.get("amqp-password")).ifPresent(options::setPassword);
        client = io.vertx.mutiny.amqp.AmqpClient.create(vertx, options);
        connection = client.connect().await().atMost(ATTACH);
        sender = connection.createSender(BackingServices.queuePrefix() + "weather.commands").await().atMost(ATTACH);
        if (dynamicReplies) {
            // A broker with no dynamic nodes (RabbitMQ 3.x) never answers the attach: a failure, not a hang.
            replies = connection.createDynamicReceiver().await().atMost(ATTACH);
            replyAddress = replies.address();
        } else {
            replyAddress = BackingServices.queuePrefix() + "replies.test." + UUID.randomUUID();
            replies = connection.createReceiver(replyAddress, new AmqpReceiverOptions().addCapability("queue"))
                    .await().atMost(ATTACH);
        }
        replies.handler(message -> received.put(message.correlationId().toString(), body(message)));
    }

    /**
     * A reply's JSON. Replies are a data section with content type application/json (what a generic AMQP client
     * reads as JSON); anything else comes back as status "invalid-reply", which fails the test that reads it.
     */
    private static JsonObject body(AmqpMessage message) {
        Object section = message.getDelegate().unwrap().getBody();
        if (!(section instanceof org.apache.qpid.proton.amqp.messaging.Data)
                || !"application/json".equals(message.contentType())) {
            return new JsonObject().put("status", "invalid-reply").put("error", "a reply must be a data section"
                    + " with content type application/json, not " + section + " (" + message.contentType() + ")");
        }
        return new JsonObject(message.bodyAsBinary().toString());
    }

    /** Sends JSON as an AMQP data section with content type application/json; returns the message id. */
    public String send(String json) {
        return send(json, UUID.randomUUID().toString(), true);
    }

    /** Sends JSON as a data section ({@code asData}) or as an AMQP string value. */
    public String send(String json, String messageId, boolean asData) {
        var builder = AmqpMessage.create().id(messageId).replyTo(replyAddress).durable(true);
        if (asData) {
            builder.withBufferAsBody(Buffer.buffer(json)).contentType("application/json");
        } else {
            builder.withBody(json);
        }
        sender.send(builder.build());
        return messageId;
    }

    /** Sends JSON as a data section with application properties (a W3C traceparent, say); returns the message id. */
    public String send(String json, JsonObject applicationProperties) {
        String messageId = UUID.randomUUID().toString();
        sender.send(AmqpMessage.create().id(messageId).replyTo(replyAddress).durable(true)
                .applicationProperties(applicationProperties)
                .withBufferAsBody(Buffer.buffer(json)).contentType("application/json").build());
        return messageId;
    }

    /** Sends bytes as a data section with no content type, as a careless client might. */
    public void sendRaw(String messageId, byte[] body) {
        sender.send(AmqpMessage.create().id(messageId).replyTo(replyAddress).durable(true)
                .withBufferAsBody(Buffer.buffer(body)).build());
    }

    /** Sends a non-text AMQP value (a number, say) as the body. */
    public void sendValue(String messageId, int value) {
        sender.send(AmqpMessage.create().id(messageId).replyTo(replyAddress).durable(true).withIntegerAsBody(value)
                .build());
    }

    /** Sends without a reply-to, as a fire-and-forget station would. */
    public void sendNoReply(String json) {
        sender.send(AmqpMessage.create().id(UUID.randomUUID().toString()).durable(true)
                .withBufferAsBody(Buffer.buffer(json)).contentType("application/json").build());
    }

    /** Sends a prepared message to any address and waits for the broker to accept it. */
    public void publish(String address, AmqpMessage message) {
        AmqpSender other = connection.createSender(address).await().atMost(Duration.ofSeconds(10));
        try {
            other.sendWithAck(message).await().atMost(Duration.ofSeconds(10));
        } finally {
            // RabbitMQ 3.x may never answer the detach of a /topic sender: do not wait for it.
            other.closeAndForget();
        }
    }

    /** Waits for a message with {@code messageId} on {@code address} (a queue), consuming what it reads there. */
    public AmqpMessage awaitMessage(String address, String messageId, Duration timeout) {
        Map<String, AmqpMessage> seen = new ConcurrentHashMap<>();
        AmqpReceiver receiver = connection.createReceiverAndAwait(BackingServices.queuePrefix() + address,
                new AmqpReceiverOptions().addCapability("queue"));
        receiver.handler(message -> seen.put(String.valueOf(message.id()), message));
        try {
            Awaitility.await().atMost(timeout).until(() -> seen.containsKey(messageId));
            return seen.get(messageId);
        } finally {
            receiver.closeAndAwait();
        }
    }

    /** The client's connection, for links of a test's own. */
    public AmqpConnection connection() {
        return connection;
    }

    /** Tells whether the reply to {@code correlationId} has come (without taking it). */
    public boolean hasReply(String correlationId) {
        return received.containsKey(correlationId);
    }

    /** Waits for the reply to {@code correlationId} and takes it: a later send under the same id gets its own. */
    public JsonObject awaitReply(String correlationId) {
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5))
                .until(() -> received.containsKey(correlationId));
        return received.remove(correlationId);
    }

    /** Sends a query to weather.queries with this client's reply-to; returns the message id. */
    public String sendQuery(String json, String messageId, String correlationId) {
        var builder = AmqpMessage.create().id(messageId).replyTo(replyAddress)
                .withBufferAsBody(Buffer.buffer(json)).contentType("application/json");
        if (correlationId != null) {
            builder.correlationId(correlationId);
        }
        querySender().send(builder.build());
        return correlationId != null ? correlationId : messageId;
    }

    /** Sends a query and waits for its reply. */
    public JsonObject query(String json) {
        return awaitReply(sendQuery(json, UUID.randomUUID().toString(), null));
    }

    /** A query with no reply-to, which cannot be answered. */
    public void sendQueryNoReply(String json, String messageId) {
        querySender().send(AmqpMessage.create().id(messageId).withBufferAsBody(Buffer.buffer(json))
                .contentType("application/json").build());
    }

    private synchronized AmqpSender querySender() {
        if (querySender == null) {
            querySender = connection.createSenderAndAwait(BackingServices.queuePrefix() + "weather.queries");
        }
        return querySender;
    }

    public JsonObject request(String json) {
        return awaitReply(send(json));
    }

    @Override
    public void close() {
        connection.closeAndAwait();
        client.closeAndAwait();
    }
}

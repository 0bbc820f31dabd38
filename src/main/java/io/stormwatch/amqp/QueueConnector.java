package io.stormwatch.amqp;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Flow;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.spi.Connector;

import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.reactive.messaging.annotations.ConnectorAttribute.Direction;
import io.smallrye.reactive.messaging.annotations.ConnectorAttribute;
import io.smallrye.reactive.messaging.connector.InboundConnector;
import io.vertx.mutiny.amqp.AmqpMessage;
import io.vertx.mutiny.core.Vertx;

/**
 * The inbound connector of the command and query channels: a queue on the broker, as a stream of
 * {@code Message<AmqpMessage>} whose body is untouched, however malformed. SmallRye's own AMQP connector parses an
 * application/json body while it builds the message and drops one that does not parse without settling it
 * (SRMSG16229, smallrye-reactive-messaging 4.33), so a malformed command would get no answer; here the channel's
 * method decodes the body and answers every message.
 * <p>
 * Under each channel is a {@link ReceiverLink}: reconnects forever, a size limit enforced before a message reaches
 * memory. The stream outlives the link's attachments ({@link QueueStream}): a request from the channel's
 * subscriber is credit on whichever attachment is current. {@link Message#ack()} accepts the delivery;
 * {@link Message#nack(Throwable)} settles it as {@link Settlement} says for the failure.
 */
@ApplicationScoped
@Connector(QueueConnector.NAME)
@ConnectorAttribute(name = "address", type = "string", direction = Direction.INCOMING, mandatory = true,
        description = "The queue to consume")
@ConnectorAttribute(name = "durable", type = "boolean", direction = Direction.INCOMING, defaultValue = "true",
        description = "Attach as a durable link (RabbitMQ 3.x needs false when senders declared the queue first)")
@ConnectorAttribute(name = "credit", type = "int", direction = Direction.INCOMING, defaultValue = "100",
        description = "Most messages taken from the broker and not yet settled")
@ConnectorAttribute(name = "max-message-bytes", type = "long", direction = Direction.INCOMING,
        defaultValue = "1048576", description = "Larger messages are rejected unread, their frames dropped")
@ConnectorAttribute(name = "size-setting", type = "string", direction = Direction.INCOMING,
        description = "The setting named in the rejection of a message over the size limit")
public class QueueConnector implements InboundConnector {

    public static final String NAME = "stormwatch-queue";

    private final AmqpClients clients;
    private final Vertx vertx;
    private final Map<String, ReceiverLink> links = new ConcurrentHashMap<>();

    public QueueConnector(AmqpClients clients, Vertx vertx) {
        this.clients = clients;
        this.vertx = vertx;
    }

    @Override
    public Flow.Publisher<? extends Message<?>> getPublisher(Config config) {
        String channel = config.getValue("channel-name", String.class);
        String address = config.getValue("address", String.class);
        long maxBytes = config.getOptionalValue("max-message-bytes", Long.class).orElse(1_048_576L);
        String setting = config.getOptionalValue("size-setting", String.class)
                .orElse("mp.messaging.incoming." + channel + ".max-message-bytes");
        QueueStream stream = new QueueStream();
        ReceiverLink link = new ReceiverLink(channel, address,
                config.getOptionalValue("durable", Boolean.class).orElse(true),
                config.getOptionalValue("credit", Integer.class).orElse(100), maxBytes,
                limit -> AmqpMessages.rejectedUnread(channel, limit, setting), stream::attachment, clients, vertx);
        links.put(channel, link);
        return stream.withLink(link);
    }

    /** The link under a channel, for health; null for a channel this connector does not serve. */
    public ReceiverLink link(String channel) {
        return links.get(channel);
    }

    void stop(@Observes ShutdownEvent stopped) {
        links.values().forEach(ReceiverLink::stop);
    }
}

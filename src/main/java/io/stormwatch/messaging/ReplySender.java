package io.stormwatch.messaging;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.vertx.amqp.AmqpSenderOptions;
import io.vertx.mutiny.amqp.AmqpClient;
import io.vertx.mutiny.amqp.AmqpConnection;
import io.vertx.mutiny.amqp.AmqpMessage;
import io.vertx.mutiny.amqp.AmqpSender;

/**
 * Sends replies to whatever reply-to address a client named, over one connection with a small cache of senders.
 * <p>
 * Not a SmallRye outgoing channel, for two reasons: a per-message address there needs an anonymous sender, which
 * RabbitMQ 3.x refuses; and in SmallRye Reactive Messaging 4.33 one reply the broker rejects (a reply-to the
 * client may not send to) would cancel the channel for good (smallrye #3390). Here a failed reply fails alone.
 * Replies are at-most-once: the command is committed and acknowledged first, and a client that misses its reply
 * sends again and is answered {@code duplicate} with the same position.
 */
@Singleton
public class ReplySender {

    private static final Logger LOG = Logger.getLogger(ReplySender.class);
    private static final int MAX_SENDERS = 256;

    private final AmqpClient client;
    private Uni<AmqpConnection> connection;
    private volatile AmqpConnection connected;
    private final Map<String, Uni<AmqpSender>> senders = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Uni<AmqpSender>> eldest) {
            if (size() > MAX_SENDERS) {
                eldest.getValue().subscribe().with(AmqpSender::closeAndForget, e -> {
                });
                return true;
            }
            return false;
        }
    };

    public ReplySender(AmqpClients clients) {
        this.client = clients.create("stormwatch-replies-" + UUID.randomUUID());
    }

    public Uni<Void> send(String address, String correlationId, String json) {
        AmqpMessage reply = AmqpMessage.create().address(address).correlationId(correlationId)
                .contentType("application/json").withBody(json).build();
        return sender(address)
                .chain(sender -> sender.sendWithAck(reply))
                .onFailure().invoke(e -> {
                    LOG.warnf("reply to %s (correlation %s) not sent: %s", address, correlationId, e.toString());
                    forget(address);
                })
                .onFailure().recoverWithNull();
    }

    private synchronized Uni<AmqpSender> sender(String address) {
        return senders.computeIfAbsent(address, a -> connection()
                .chain(c -> c.createSender(a, new AmqpSenderOptions().setAutoDrained(true)))
                .memoize().indefinitely());
    }

    private synchronized Uni<AmqpConnection> connection() {
        if (connection == null) {
            connection = client.connect()
                    .invoke(c -> {
                        connected = c;
                        c.exceptionHandler(e -> reset(c));
                    })
                    .onFailure().invoke(e -> reset(null))
                    .memoize().indefinitely();
        }
        return connection;
    }

    /** Drops the sender of a failed reply, and the connection too if it is gone (a broker restart, say). */
    private synchronized void forget(String address) {
        senders.remove(address);
        AmqpConnection current = connected;
        if (current == null || current.isDisconnected()) {
            reset(current);
        }
    }

    /** Forgets {@code lost} and its senders, unless a newer connection has replaced it already. */
    private synchronized void reset(AmqpConnection lost) {
        if (lost != connected) {
            return;
        }
        connection = null;
        connected = null;
        senders.clear();
    }

    @PreDestroy
    void close() {
        client.closeAndForget();
    }
}

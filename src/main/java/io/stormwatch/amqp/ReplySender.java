package io.stormwatch.amqp;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.stormwatch.platform.Metrics;
import io.vertx.amqp.AmqpSenderOptions;
import io.vertx.mutiny.amqp.AmqpClient;
import io.vertx.mutiny.amqp.AmqpConnection;
import io.vertx.mutiny.amqp.AmqpMessage;
import io.vertx.mutiny.amqp.AmqpSender;
import io.vertx.mutiny.core.buffer.Buffer;

/**
 * Sends replies to the reply-to address a client named, if it is one meant for replies ({@link ReplyAddresses}), over
 * one connection with a small cache of senders.
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

    /** Reply-to addresses refused lately, so that each is logged once (counted every time). */
    private final Map<String, Boolean> refused = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > 1000;
        }
    };
    private final ReplyAddresses addresses;
    private final Metrics metrics;

    public ReplySender(AmqpClients clients, ReplyAddresses addresses, Metrics metrics) {
        this.client = clients.create("stormwatch-replies-" + UUID.randomUUID());
        this.addresses = addresses;
        this.metrics = metrics;
    }

    /**
     * Sends a reply to the request's reply-to, unless that is not a reply address of its sender (then the refusal is
     * logged once and counted).
     */
    public Uni<Void> send(AmqpMessages.ReplyTo to, AmqpMessage request, String json) {
        return send(to.address(), to.correlationId(), addresses.sender(request), json);
    }

    Uni<Void> send(String address, String correlationId, String sender, String json) {
        Optional<String> refusal = addresses.refusal(address, sender);
        if (refusal.isPresent()) {
            refuse(address, correlationId, refusal.get());
            return Uni.createFrom().voidItem();
        }
        AmqpMessage reply = AmqpMessage.create().address(address).correlationId(correlationId)
                .contentType("application/json").withBufferAsBody(Buffer.buffer(json)).build();
        return sender(address)
                .chain(link -> link.sendWithAck(reply))
                .onFailure().invoke(e -> {
                    LOG.warnf("reply to %s (correlation %s) not sent: %s", address, correlationId, e.toString());
                    metrics.replyFailed();
                    forget(address);
                })
                .onFailure().recoverWithNull();
    }

    private void refuse(String address, String correlationId, String reason) {
        metrics.replyRefused(reason);
        boolean first;
        synchronized (refused) {
            first = refused.put(address, Boolean.TRUE) == null;
        }
        if (first) {
            LOG.warnf("No reply sent to %s (correlation %s): %s; only reply addresses are answered"
                    + " (stormwatch.replies.prefixes, or a dynamic node). Logged once per address", address,
                    correlationId, reason);
        }
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

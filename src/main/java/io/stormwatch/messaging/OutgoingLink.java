package io.stormwatch.messaging;

import java.util.UUID;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.vertx.amqp.AmqpSenderOptions;
import io.vertx.mutiny.amqp.AmqpClient;
import io.vertx.mutiny.amqp.AmqpConnection;
import io.vertx.mutiny.amqp.AmqpSender;

/**
 * One sender to one address, connected on first use and dropped on any loss, so that the next use reconnects.
 * The owner decides when to try again; nothing here retries or buffers on its own, and a message the broker
 * rejects fails alone (unlike a SmallRye 4.33 outgoing channel, which is cancelled for good: smallrye #3390).
 */
public final class OutgoingLink {

    private static final Logger LOG = Logger.getLogger(OutgoingLink.class);

    private final AmqpClient client;
    private final String address;
    private Uni<AmqpSender> sender;
    private AmqpConnection connection;
    private volatile boolean attached;

    public OutgoingLink(AmqpClients clients, String name, String address) {
        this.client = clients.create("stormwatch-" + name + "-" + UUID.randomUUID());
        this.address = address;
    }

    public synchronized Uni<AmqpSender> sender() {
        if (sender == null) {
            sender = client.connect()
                    .invoke(c -> {
                        remember(c);
                        c.exceptionHandler(e -> reset(c));
                    })
                    .chain(c -> c.createSender(address, new AmqpSenderOptions().setAutoDrained(true)))
                    .invoke(s -> {
                        attached = true;
                        LOG.infof("Sending to %s", address);
                    })
                    .onFailure().invoke(e -> reset(null))
                    .memoize().indefinitely();
        }
        return sender;
    }

    private synchronized void remember(AmqpConnection c) {
        connection = c;
    }

    /** Forgets the connection (closing it), unless it is already a newer one than {@code lost}. */
    public synchronized void reset(AmqpConnection lost) {
        if (lost != null && lost != connection) {
            return;
        }
        attached = false;
        sender = null;
        if (connection != null) {
            connection.closeAndForget();
            connection = null;
        }
    }

    public boolean attached() {
        return attached;
    }

    public String address() {
        return address;
    }

    public void close() {
        reset(null);
        client.closeAndForget();
    }
}

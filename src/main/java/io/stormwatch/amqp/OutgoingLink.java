package io.stormwatch.amqp;

import java.util.UUID;
import java.util.concurrent.CompletableFuture;

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
 * <p>
 * The Vert.x AMQP client never fails a {@code sendWithAck} whose connection dropped (the broker was killed): the
 * acknowledgement just never comes. {@link #untilLost} fails such work as soon as the connection is lost.
 */
public final class OutgoingLink {

    private static final Logger LOG = Logger.getLogger(OutgoingLink.class);

    private final AmqpClient client;
    private final String address;
    private Uni<AmqpSender> sender;
    private AmqpConnection connection;
    /** Completed with the cause when the current connection (or the attempt to make it) is lost. */
    private CompletableFuture<Throwable> lost = new CompletableFuture<>();
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
                        c.exceptionHandler(e -> lost(c, e));
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

    /**
     * The outcome of {@code work} (sends on this link's sender), or a failure as soon as the connection it runs on is
     * lost, whichever comes first.
     */
    public <T> Uni<T> untilLost(Uni<T> work) {
        CompletableFuture<Throwable> current;
        synchronized (this) {
            current = lost;
        }
        Uni<T> loss = Uni.createFrom().completionStage(current.copy())
                .onItem().transformToUni(cause -> Uni.createFrom().failure(cause));
        return Uni.combine().any().of(work, loss);
    }

    private void lost(AmqpConnection c, Throwable cause) {
        LOG.debugf("connection for %s lost: %s", address, cause);
        reset(c, cause);
    }

    /** Forgets the connection (closing it), unless it is already a newer one than {@code lost}. */
    public void reset(AmqpConnection lost) {
        reset(lost, new IllegalStateException("link to " + address + " dropped"));
    }

    private synchronized void reset(AmqpConnection lostConnection, Throwable cause) {
        if (lostConnection != null && lostConnection != connection) {
            return;
        }
        attached = false;
        sender = null;
        lost.complete(new IllegalStateException("connection to the broker lost (" + address + "): "
                + cause.getMessage(), cause));
        lost = new CompletableFuture<>();
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

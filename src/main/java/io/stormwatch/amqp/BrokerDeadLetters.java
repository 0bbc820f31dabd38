package io.stormwatch.amqp;

import java.util.List;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.apache.qpid.proton.amqp.messaging.Accepted;
import org.apache.qpid.proton.amqp.transport.DeliveryState;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.stormwatch.deadletter.DeadLetters.DeadLetter;
import io.stormwatch.deadletter.DeadLetters;
import io.stormwatch.platform.Metrics;
import io.stormwatch.platform.StormwatchConfig;
import io.vertx.mutiny.amqp.AmqpMessage;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Moves what the broker dead-lettered (a command that failed all its delivery attempts) from its dead-letter address
 * into the dead_letter table, so that it is listed and replayed through the admin API like the service's own
 * dead letters. Source {@code broker:<original address>}; a message is accepted only after its row is committed, so
 * a crash in between keeps it on the broker.
 */
@Singleton
public class BrokerDeadLetters {

    private static final Logger LOG = Logger.getLogger(BrokerDeadLetters.class);
    public static final String SOURCE_PREFIX = "broker:";
    private static final int CREDIT = 20;

    private final ReceiverLink link;
    private final QueueStream stream = new QueueStream();
    private final DeadLetters deadLetters;
    private final Pool pool;
    private final Metrics metrics;
    private final boolean enabled;
    private final String address;

    public BrokerDeadLetters(AmqpClients clients, Vertx vertx, DeadLetters deadLetters, Pool pool, Metrics metrics,
            StormwatchConfig config) {
        this.deadLetters = deadLetters;
        this.pool = pool;
        this.metrics = metrics;
        this.enabled = config.deadLetters().drain();
        this.address = config.deadLetters().address();
        // What the broker dead-letters because it was too large for the command link is too large here too: it
        // is removed unread, and a row says so.
        this.link = new ReceiverLink("dead letters", address, true, CREDIT,
                config.commands().maxMessageBytes(), this::oversized, stream::attachment, clients, vertx);
    }

    /** The same stream as a channel's (QueueConnector), subscribed here: the drain is not a channel of its own. */
    void start(@Observes StartupEvent started) {
        if (enabled) {
            stream.withLink(link).subscribe().withSubscriber(new ConcurrentPipeline("broker dead letters", CREDIT, this::drain));
        }
    }

    void stop(@Observes ShutdownEvent stopped) {
        if (enabled) {
            link.stop();
        }
    }

    private Uni<Void> drain(Message<AmqpMessage> message) {
        return keep(message.getPayload()).invoke(() -> message.ack())
                .onFailure().invoke(failure -> {
                    // Stays on the broker: released, uncounted, and taken again.
                    LOG.debugf("dead letter %s not kept yet: %s", AmqpMessages.messageId(message.getPayload()), failure);
                    message.nack(new Settlement.HandBack(failure));
                });
    }

    private DeliveryState oversized(long limit) {
        DeadLetter letter = new DeadLetter(SOURCE_PREFIX + address, null, null, "a message of more than " + limit
                + " bytes (stormwatch.commands.max-message-bytes) was dead-lettered by the broker (a command rejected"
                + " unread for its size); removed from the broker unread, its body is not kept", null, null);
        pool.withTransaction(tx -> deadLetters.record(tx, List.of(letter))).subscribe().with(
                ignored -> metrics.deadLetters("broker", 1),
                failure -> LOG.warnf("an oversized dead letter was removed but not recorded: %s", failure));
        return Accepted.getInstance();
    }

    private Uni<Void> keep(AmqpMessage message) {
        String origin = AmqpMessages.originalAddress(message);
        String source = SOURCE_PREFIX + (origin == null ? link.name() : origin);
        String messageId = AmqpMessages.messageId(message);
        DeadLetter letter = new DeadLetter(source, messageId, null, "dead-lettered by the broker: its delivery"
                + " attempts ran out, so it was not executed", AmqpMessages.contentType(message),
                AmqpMessages.body(message));
        return pool.withTransaction(tx -> deadLetters.record(tx, List.of(letter)))
                .invoke(() -> {
                    metrics.deadLetters("broker", 1);
                    LOG.infof("message %s from %s kept as a dead letter", messageId, source);
                });
    }
}

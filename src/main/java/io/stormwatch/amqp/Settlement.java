package io.stormwatch.amqp;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.vertx.mutiny.amqp.AmqpMessage;

/**
 * How a channel's message is settled with the broker. {@code ack()} accepts it. {@code nack(failure)} hands it back:
 * released, so redelivered without counting an attempt, for a {@link HandBack} (not the message's fault: the
 * database is down); modified with delivery failed, so counted and dead-lettered by the broker after its limit,
 * for any other failure.
 */
public final class Settlement {

    private static final Logger LOG = Logger.getLogger(Settlement.class);

    /** The message was not at fault: redeliver it without counting an attempt. */
    public static final class HandBack extends RuntimeException {

        public HandBack(Throwable cause) {
            super(cause == null ? "handed back" : cause.toString(), cause, false, false);
        }
    }

    private Settlement() {
    }

    static Message<AmqpMessage> message(AmqpMessage delivery) {
        return Message.of(delivery, () -> settle(delivery, AmqpMessage::accepted), failure -> settle(delivery,
                failure instanceof HandBack ? AmqpMessage::released : m -> m.modified(true, false)));
    }

    private static CompletableFuture<Void> settle(AmqpMessage delivery, Consumer<AmqpMessage> disposition) {
        try {
            disposition.accept(delivery);
        } catch (IllegalStateException e) {
            // Its link is gone: the broker has put it back already.
            LOG.debugf("could not settle message %s: %s", delivery.id(), e.getMessage());
        }
        return CompletableFuture.completedFuture(null);
    }
}

package io.stormwatch.amqp;

import java.util.concurrent.Flow;

import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.stormwatch.api.Command.RecordObservations;
import io.stormwatch.command.IncomingCommand;
import io.stormwatch.platform.MicroBatcher;
import io.vertx.mutiny.amqp.AmqpMessage;

/**
 * The commands channel's subscriber: decodes each command as it arrives, on the receiver's thread, while the batch
 * before it is in the database, and hands it to the batcher. So the batch's serial path (lock to commit) does not
 * also parse and check its commands.
 */
final class CommandDecoding implements Flow.Subscriber<Message<AmqpMessage>> {

    private static final Logger LOG = Logger.getLogger(CommandConsumer.class);

    /** A message and its command, decoded and checked as it arrived. */
    record Received(Message<AmqpMessage> message, IncomingCommand command) {

        /** About how many events the command appends, for the batch's size. */
        int events() {
            return command.decoded() && command.command() instanceof RecordObservations batch
                    ? batch.observations().size() : 1;
        }
    }

    private final AmqpCommands amqp;
    private final MicroBatcher<Received> batcher;
    private Flow.Subscription subscription;

    CommandDecoding(AmqpCommands amqp, MicroBatcher<Received> batcher) {
        this.amqp = amqp;
        this.batcher = batcher;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        this.subscription = subscription;
        batcher.onSubscribe(subscription);
    }

    @Override
    public void onNext(Message<AmqpMessage> message) {
        IncomingCommand command;
        try {
            command = amqp.toCommand(message.getPayload());
        } catch (RuntimeException e) {
            // toCommand answers every body with a command or an error; this is a defect: the message is handed back
            // counted (dead-lettered after the broker's limit) and the stream goes on.
            LOG.errorf(e, "command %s could not be decoded", AmqpMessages.messageId(message.getPayload()));
            message.nack(e);
            subscription.request(1);
            return;
        }
        batcher.onItem(new Received(message, command));
    }

    @Override
    public void onError(Throwable failure) {
        batcher.onFailure(failure);
    }

    @Override
    public void onComplete() {
        batcher.onCompletion();
    }
}

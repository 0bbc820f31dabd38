package io.stormwatch.amqp;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Flow;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.stormwatch.amqp.CommandDecoding.Received;
import io.stormwatch.api.CommandReply;
import io.stormwatch.command.CommandService;
import io.stormwatch.command.DatabaseAvailability;
import io.stormwatch.command.IncomingCommand;
import io.stormwatch.platform.CommandsConfig;
import io.stormwatch.platform.Logs;
import io.stormwatch.platform.MicroBatcher;
import io.stormwatch.platform.RepeatedFailure;
import io.stormwatch.platform.StormwatchConfig;
import io.vertx.mutiny.amqp.AmqpMessage;

/**
 * The command stream: the {@code commands} channel in (weather.commands, through {@link QueueConnector}),
 * micro-batches through {@link CommandService}, replies out through {@link ReplySender}. A message
 * is acknowledged only after the transaction holding its outcome commits. A transaction that fails through the
 * database's fault (down, restarting, a deadlock) hands its messages back uncounted, and while the database is down
 * no more are taken; one that fails through the commands' is retried one command at a time, so that one bad command
 * cannot hold back its neighbours, and a command that still fails is handed back counted (modified, delivery failed).
 */
@Singleton
public class CommandConsumer {

    private static final Logger LOG = Logger.getLogger(CommandConsumer.class);

    private final CommandService service;
    private final AmqpCommands amqp;
    private final ReplySender replies;
    private final CommandsConfig config;
    private final DatabaseAvailability database;
    private final RepeatedFailure transientFailures = new RepeatedFailure(CommandConsumer.class,
            "a command batch (handed back to the broker uncounted)");

    public CommandConsumer(CommandService service, AmqpCommands amqp, ReplySender replies, StormwatchConfig config,
            DatabaseAvailability database) {
        this.service = service;
        this.database = database;
        this.amqp = amqp;
        this.replies = replies;
        this.config = config.commands();
    }

    /**
     * The command stream, as the channel's subscriber: it asks for two batches' worth of messages (the one in the
     * database and the one filling) and for more as each batch is settled, so the link's credit follows the work.
     */
    @Incoming("commands")
    public Flow.Subscriber<Message<AmqpMessage>> commands() {
        MicroBatcher<Received> batcher = new MicroBatcher<>(config.maxBatchSize(), config.maxBatchEvents(),
                Received::events, config.maxBatchWait(), 2 * config.maxBatchSize());
        batcher.batches()
                .onItem().transformToUniAndConcatenate(batch -> process(batch)
                        .eventually(() -> batcher.done(batch.size())))
                .subscribe().with(
                        replies -> replies.forEach(this::send),
                        failure -> LOG.errorf(failure, "the command stream failed: commands are no longer taken"));
        return new CommandDecoding(amqp, batcher);
    }

    /** Fire and forget: ReplySender logs and absorbs its own failures. */
    private void send(Reply reply) {
        replies.send(reply.to(), reply.request(), amqp.json(reply.reply()))
                .subscribe().with(ignored -> {
                });
    }

    private record Reply(AmqpMessages.ReplyTo to, AmqpMessage request, CommandReply reply) {
    }

    private Uni<List<Reply>> process(List<Received> batch) {
        List<IncomingCommand> commands = batch.stream().map(Received::command).toList();
        return service.execute(commands).onItemOrFailure().transformToUni((replies, failure) -> {
            if (failure == null) {
                return acknowledge(batch, replies);
            }
            return database.blame(failure).chain(blame -> switch (blame) {
                // Not the commands' fault: back to the broker uncounted. While the database is down the pipeline
                // waits here, so the batcher takes no more messages and the link grants no more credit.
                case DATABASE_DOWN -> handBack(batch, failure).call(() -> database.awaitReachable(failure));
                case TRANSIENT -> {
                    transientFailures.failed(failure);
                    yield handBack(batch, failure);
                }
                case COMMANDS -> batch.size() > 1 ? oneByOne(batch) : release(batch, failure);
            });
        });
    }

    /** Released: redelivered without counting a delivery attempt against the messages. */
    private Uni<List<Reply>> handBack(List<Received> batch, Throwable failure) {
        LOG.debugf("%d commands handed back to the broker uncounted: %s", batch.size(), failure);
        batch.forEach(received -> received.message().nack(new Settlement.HandBack(failure)));
        return Uni.createFrom().item(List.of());
    }

    private Uni<List<Reply>> oneByOne(List<Received> batch) {
        LOG.warnf("a batch of %d commands failed; retrying them one at a time", batch.size());
        return Multi.createFrom().iterable(batch)
                .onItem().transformToUniAndConcatenate(message -> process(List.of(message)))
                .collect().in(ArrayList<Reply>::new, List::addAll)
                .map(List::copyOf);
    }

    private Uni<List<Reply>> acknowledge(List<Received> batch, List<CommandReply> replies) {
        transientFailures.succeeded();
        List<Reply> out = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            Message<AmqpMessage> received = batch.get(i).message();
            AmqpMessage message = received.getPayload();
            // The outcome is committed: an accept lost with the link means a redelivery, answered as a duplicate.
            received.ack();
            CommandReply reply = replies.get(i);
            AmqpMessages.replyTo(message).ifPresent(to -> out.add(new Reply(to, message, reply)));
        }
        return Uni.createFrom().item(out);
    }

    /** Modified, delivery failed: redelivered and counted, so the broker dead-letters it after its limit. */
    private Uni<List<Reply>> release(List<Received> received, Throwable failure) {
        List<AmqpMessage> batch = received.stream().map(r -> r.message().getPayload()).toList();
        // Its first failure is worth a line; each redelivery failing the same way is not.
        batch.stream().filter(message -> message.deliveryCount() == 0).forEach(message -> Logs.warn(
                CommandConsumer.class, () -> "command %s not executed, released for redelivery (until the broker's"
                        .formatted(AmqpMessages.messageId(message)) + " limit; later failures at DEBUG): " + failure,
                Logs.COMMAND_ID, AmqpMessages.messageId(message), Logs.CORRELATION_ID,
                AmqpMessages.correlationId(message)));
        batch.stream().filter(message -> message.deliveryCount() > 0).forEach(message -> LOG.debugf(
                "command %s failed again on delivery %d: %s", AmqpMessages.messageId(message),
                message.deliveryCount() + 1, failure));
        received.forEach(r -> r.message().nack(failure));
        return Uni.createFrom().item(List.of());
    }
}

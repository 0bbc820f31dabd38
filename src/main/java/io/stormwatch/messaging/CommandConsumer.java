package io.stormwatch.messaging;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Flow;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Acknowledgment;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.stormwatch.api.CommandReply;
import io.stormwatch.command.CommandService;
import io.stormwatch.command.IncomingCommand;
import io.stormwatch.infra.StormwatchConfig;

/**
 * The command stream: weather.commands in, micro-batches through {@link CommandService}, replies out through
 * {@link ReplySender}. A message
 * is acknowledged only after the transaction holding its outcome commits; if the transaction fails the message
 * is released for redelivery (modified-failed), and a failing batch is retried one command at a time so that one
 * bad command cannot hold back its neighbours.
 */
@ApplicationScoped
public class CommandConsumer {

    private static final Logger LOG = Logger.getLogger(CommandConsumer.class);

    private final CommandService service;
    private final AmqpCommands amqp;
    private final ReplySender replies;
    private final StormwatchConfig.Commands config;

    public CommandConsumer(CommandService service, AmqpCommands amqp, ReplySender replies, StormwatchConfig config) {
        this.service = service;
        this.amqp = amqp;
        this.replies = replies;
        this.config = config.commands();
    }

    /** The connector subscribes the batcher, which takes credit-limited demand from the broker. */
    @Incoming(Addresses.COMMANDS_CHANNEL)
    @Acknowledgment(Acknowledgment.Strategy.MANUAL)
    public Flow.Subscriber<Message<Object>> commands() {
        MicroBatcher<Message<Object>> batcher = new MicroBatcher<>(config.maxBatchSize(), config.maxBatchWait(),
                2 * config.maxBatchSize());
        batcher.batches()
                .onItem().transformToUniAndConcatenate(batch -> process(batch)
                        .eventually(() -> batcher.done(batch.size())))
                .subscribe().with(
                        replies -> replies.forEach(this::send),
                        failure -> LOG.error("the command stream ended with a failure", failure));
        return batcher;
    }

    /** Fire and forget: ReplySender logs and absorbs its own failures. */
    private void send(Reply reply) {
        replies.send(reply.to().address(), reply.to().correlationId(), amqp.json(reply.reply()))
                .subscribe().with(ignored -> {
                });
    }

    private record Reply(AmqpCommands.ReplyTo to, CommandReply reply) {
    }

    private Uni<List<Reply>> process(List<Message<Object>> batch) {
        List<IncomingCommand> commands = batch.stream().map(amqp::toCommand).toList();
        return service.execute(commands).onItemOrFailure().transformToUni((replies, failure) -> {
            if (failure == null) {
                return acknowledge(batch, replies);
            }
            return batch.size() > 1 ? oneByOne(batch) : release(batch, failure);
        });
    }

    private Uni<List<Reply>> oneByOne(List<Message<Object>> batch) {
        LOG.warnf("a batch of %d commands failed; retrying them one at a time", batch.size());
        return Multi.createFrom().iterable(batch)
                .onItem().transformToUniAndConcatenate(message -> process(List.of(message)))
                .collect().in(ArrayList<Reply>::new, List::addAll)
                .map(List::copyOf);
    }

    private Uni<List<Reply>> acknowledge(List<Message<Object>> batch, List<CommandReply> replies) {
        List<Reply> out = new ArrayList<>(batch.size());
        List<Uni<Void>> acks = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            acks.add(Uni.createFrom().completionStage(batch.get(i).ack()));
            CommandReply reply = replies.get(i);
            amqp.replyTo(batch.get(i)).ifPresent(to -> out.add(new Reply(to, reply)));
        }
        // The outcome is committed: a lost ack means a redelivery, which the command log answers as a duplicate.
        return Uni.join().all(acks).andCollectFailures()
                .onFailure().invoke(e -> LOG.warnf("acknowledgement failed after commit: %s", e.toString()))
                .onFailure().recoverWithNull()
                .replaceWith(out);
    }

    private Uni<List<Reply>> release(List<Message<Object>> batch, Throwable failure) {
        LOG.warnf("command not executed, released for redelivery: %s", failure.toString());
        List<Uni<Void>> nacks = batch.stream()
                .map(message -> Uni.createFrom().completionStage(message.nack(failure))).toList();
        return Uni.join().all(nacks).andCollectFailures().onFailure().recoverWithNull().replaceWith(List.of());
    }
}

package io.stormwatch.command;

import java.util.List;
import java.util.Optional;

import jakarta.inject.Singleton;

import io.smallrye.mutiny.Uni;
import io.stormwatch.api.CommandReply;
import io.stormwatch.deadletter.DeadLetters.Stored;
import io.stormwatch.deadletter.DeadLetters;
import io.stormwatch.platform.Logs;

/**
 * Sends a dead-lettered command through the command path again, after the cause of its rejection has been dealt
 * with (a station registered since, a rule fixed). The replay has its own idempotency key, derived from the dead
 * letter, so replaying the same dead letter twice executes it once. The entry is removed once replayed; if the
 * command is rejected again, that rejection is a new dead letter, with the source {@code replay:<source>}.
 * Only commands are replayed: a query is asked again by its client, and an event that could not be published
 * stays in the event store.
 */
@Singleton
public class DeadLetterReplay {

    /** What a replay found and did. */
    public sealed interface Outcome {
        record Replayed(long deadLetterId, CommandReply reply) implements Outcome {
        }

        record NotFound(long deadLetterId) implements Outcome {
        }

        record NotACommand(long deadLetterId, String source) implements Outcome {
        }
    }

    private final DeadLetters deadLetters;
    private final CommandDecoder decoder;
    private final CommandService commands;

    public DeadLetterReplay(DeadLetters deadLetters, CommandDecoder decoder, CommandService commands) {
        this.deadLetters = deadLetters;
        this.decoder = decoder;
        this.commands = commands;
    }

    public Uni<Outcome> replay(long id) {
        return deadLetters.find(id).chain(found -> replay(id, found));
    }

    private Uni<Outcome> replay(long id, Optional<Stored> found) {
        if (found.isEmpty()) {
            return Uni.createFrom().item(new Outcome.NotFound(id));
        }
        Stored letter = found.get();
        if (!IncomingCommand.isCommandSource(letter.source())) {
            return Uni.createFrom().item(new Outcome.NotACommand(id, letter.source()));
        }
        String body = letter.body() == null ? "" : letter.body();
        CommandDecoder.Decoded decoded = decoder.decode(body);
        String key = "dead-letter-" + id;
        String source = letter.source().startsWith(IncomingCommand.REPLAY_PREFIX) ? letter.source()
                : IncomingCommand.REPLAY_PREFIX + letter.source();
        String correlation = letter.commandId() != null ? letter.commandId() : letter.messageId();
        IncomingCommand incoming = new IncomingCommand(key, decoded.command(), decoded.error(), key, correlation,
                source, letter.contentType(), letter.body(), null);
        return commands.execute(List.of(incoming))
                .chain(replies -> deadLetters.delete(id).replaceWith(replies.getFirst()))
                .invoke(reply -> Logs.info(DeadLetterReplay.class, () -> "dead letter %d (%s) replayed: %s"
                        .formatted(id, letter.source(), reply.status()), Logs.COMMAND_ID, key, Logs.CORRELATION_ID,
                        correlation))
                .map(reply -> new Outcome.Replayed(id, reply));
    }
}

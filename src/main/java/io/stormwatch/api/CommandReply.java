package io.stormwatch.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The answer to a command, sent to its {@code reply-to}: {@code accepted} or {@code duplicate} with the global
 * position of its last event (the first execution's, for a duplicate), or {@code rejected} with a readable error.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CommandReply(Status status, String commandId, Long position, String error) {

    public enum Status {
        accepted, duplicate, rejected
    }

    public static CommandReply accepted(String commandId, long position) {
        return new CommandReply(Status.accepted, commandId, position, null);
    }

    public static CommandReply duplicate(CommandReply first) {
        return first.status == Status.rejected ? first
                : new CommandReply(Status.duplicate, first.commandId, first.position, null);
    }

    public static CommandReply rejected(String commandId, String error) {
        return new CommandReply(Status.rejected, commandId, null, error);
    }
}

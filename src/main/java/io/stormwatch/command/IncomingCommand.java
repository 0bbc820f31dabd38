package io.stormwatch.command;

import io.stormwatch.api.Command;

/**
 * One command as it arrived, decoded or not.
 *
 * @param key the idempotency key: the body's commandId, else the transport's message id (may be null)
 * @param command the decoded, validated command, or null when {@code error} says why it could not be
 * @param error why the message is not a valid command, or null
 * @param correlationId the conversation it belongs to, kept in the events' metadata
 * @param source where it came from, e.g. {@code amqp:weather.commands}
 * @param rawBody the body as received, kept with a dead letter
 * @param traceparent the W3C trace context of its receipt, kept with its events (null without a trace)
 */
public record IncomingCommand(String key, Command command, String error, String messageId, String correlationId,
        String source, String contentType, String rawBody, String traceparent) {

    /** The source of commands from the HTTP gateway. */
    public static final String HTTP_SOURCE = "http:/api/commands";
    /** The source of commands from AMQP (the address is the configured one; the source names the role). */
    public static final String AMQP_SOURCE = "amqp:weather.commands";
    /** A command the broker gave up on and dead-lettered (messaging.BrokerDeadLetters). */
    public static final String BROKER_SOURCE = "broker:weather.commands";
    /** Prefixed to the source of a command replayed from a dead letter. */
    public static final String REPLAY_PREFIX = "replay:";

    /** Tells whether a dead letter of this source holds a command, which can be replayed. */
    public static boolean isCommandSource(String source) {
        return HTTP_SOURCE.equals(source) || AMQP_SOURCE.equals(source) || BROKER_SOURCE.equals(source)
                || source != null && source.startsWith(REPLAY_PREFIX);
    }

    public boolean decoded() {
        return command != null;
    }
}

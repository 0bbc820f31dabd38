package io.stormwatch.amqp;

import java.util.Optional;

import jakarta.inject.Singleton;


import io.opentelemetry.api.trace.SpanKind;
import io.stormwatch.api.CommandReply;
import io.stormwatch.command.CommandDecoder;
import io.stormwatch.command.IncomingCommand;
import io.stormwatch.command.Permissions;
import io.stormwatch.eventstore.EventCodec;
import io.stormwatch.platform.StormwatchConfig;
import io.stormwatch.platform.Tracing;
import io.vertx.mutiny.amqp.AmqpMessage;

/**
 * AMQP messages to commands, and replies to JSON. The body is read as the client sent it: a data section (bytes,
 * whatever the content type) or an AMQP string value. Nothing is parsed before {@link CommandDecoder}, so
 * malformed JSON is answered like any other bad input.
 */
@Singleton
public class AmqpCommands {

    static final String SOURCE = IncomingCommand.AMQP_SOURCE;
    /** How much of an oversized body is kept with its dead letter. */
    private static final int KEPT_BODY_CHARS = 64 * 1024;

    private final CommandDecoder decoder;
    private final EventCodec codec;
    private final Tracing tracing;
    private final int maxBodyBytes;
    private final Permissions permissions;
    private final String identityProperty;

    public AmqpCommands(CommandDecoder decoder, EventCodec codec, Tracing tracing, StormwatchConfig config,
            Permissions permissions) {
        this.decoder = decoder;
        this.permissions = permissions;
        this.identityProperty = config.identity().property();
        this.codec = codec;
        this.tracing = tracing;
        this.maxBodyBytes = config.commands().maxBodyBytes();
    }

    public IncomingCommand toCommand(AmqpMessage message) {
        String messageId = AmqpMessages.messageId(message);
        String correlationId = Optional.ofNullable(AmqpMessages.correlationId(message)).orElse(messageId);
        String contentType = AmqpMessages.contentType(message);
        String body = AmqpMessages.body(message);
        String trace = tracing.step("weather.commands receive", SpanKind.CONSUMER,
                AmqpMessages.stringProperty(message, Tracing.TRACEPARENT));
        if (body == null) {
            return rejected(messageId, correlationId, contentType, null, trace,
                    "unsupported body: expected JSON text as a data section or a string value, got "
                            + AmqpMessages.bodyKind(message));
        }
        if (body.length() > maxBodyBytes) {
            return rejected(messageId, correlationId, contentType, body.substring(0, KEPT_BODY_CHARS), trace,
                    "body of " + body.length() + " characters exceeds the limit of " + maxBodyBytes);
        }
        CommandDecoder.Decoded decoded = decoder.decode(body);
        String key = decoded.commandId() != null ? decoded.commandId() : messageId;
        String refused = decoded.command() == null ? null : permissions.refusal(permissions.amqpSender(
                AmqpMessages.sender(message, identityProperty)), decoded.command()).orElse(null);
        if (refused != null) {
            // Answered rejected and dead-lettered like any invalid command, under its own key.
            return new IncomingCommand(key, null, refused, messageId, correlationId, SOURCE, contentType, body, trace);
        }
        return new IncomingCommand(key, decoded.command(), decoded.error(), messageId, correlationId, SOURCE,
                contentType, body, trace);
    }

    public String json(CommandReply reply) {
        return codec.toJson(reply);
    }

    private static IncomingCommand rejected(String messageId, String correlationId, String contentType, String body,
            String trace, String error) {
        return new IncomingCommand(messageId, null, error, messageId, correlationId, SOURCE, contentType, body,
                trace);
    }
}

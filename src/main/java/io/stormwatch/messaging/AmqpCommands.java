package io.stormwatch.messaging;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.qpid.proton.amqp.Binary;
import org.apache.qpid.proton.amqp.messaging.AmqpValue;
import org.apache.qpid.proton.amqp.messaging.Data;
import org.apache.qpid.proton.amqp.messaging.Section;
import org.apache.qpid.proton.message.Message;

import io.stormwatch.api.CommandReply;
import io.stormwatch.command.CommandDecoder;
import io.stormwatch.command.IncomingCommand;
import io.stormwatch.eventstore.EventCodec;
import io.stormwatch.infra.StormwatchConfig;
import io.vertx.mutiny.amqp.AmqpMessage;

/**
 * AMQP messages to commands, and replies to JSON. The body is read as the client sent it: a data section (bytes,
 * whatever the content type) or an AMQP string value. Nothing is parsed before {@link CommandDecoder}, so
 * malformed JSON is answered like any other bad input.
 */
@ApplicationScoped
public class AmqpCommands {

    static final String SOURCE = "amqp:" + Addresses.COMMANDS;
    /** How much of an oversized body is kept with its dead letter. */
    private static final int KEPT_BODY_CHARS = 64 * 1024;

    /** Where and under which correlation id the reply to a command goes. */
    public record ReplyTo(String address, String correlationId) {
    }

    private final CommandDecoder decoder;
    private final EventCodec codec;
    private final int maxBodyBytes;

    public AmqpCommands(CommandDecoder decoder, EventCodec codec, StormwatchConfig config) {
        this.decoder = decoder;
        this.codec = codec;
        this.maxBodyBytes = config.commands().maxBodyBytes();
    }

    public IncomingCommand toCommand(AmqpMessage message) {
        Message proton = proton(message);
        String messageId = text(proton.getMessageId());
        String correlationId = Optional.ofNullable(text(proton.getCorrelationId())).orElse(messageId);
        String contentType = proton.getContentType();
        Section section = proton.getBody();
        String body = body(section);
        if (body == null) {
            String kind = section == null ? "an empty body" : "an AMQP " + section.getType();
            return rejected(messageId, correlationId, contentType, null,
                    "unsupported body: expected JSON text as a data section or a string value, got " + kind);
        }
        if (body.length() > maxBodyBytes) {
            return rejected(messageId, correlationId, contentType, body.substring(0, KEPT_BODY_CHARS),
                    "body of " + body.length() + " characters exceeds the limit of " + maxBodyBytes);
        }
        CommandDecoder.Decoded decoded = decoder.decode(body);
        String key = decoded.commandId() != null ? decoded.commandId() : messageId;
        return new IncomingCommand(key, decoded.command(), decoded.error(), messageId, correlationId, SOURCE,
                contentType, body);
    }

    /** Where the reply to {@code request} goes, if it asked for one. */
    public Optional<ReplyTo> replyTo(AmqpMessage request) {
        Message proton = proton(request);
        String replyTo = proton.getReplyTo();
        if (replyTo == null || replyTo.isBlank()) {
            return Optional.empty();
        }
        Object correlationId = proton.getCorrelationId() != null ? proton.getCorrelationId() : proton.getMessageId();
        return Optional.of(new ReplyTo(replyTo, text(correlationId)));
    }

    public String json(CommandReply reply) {
        return codec.toJson(reply);
    }

    private static IncomingCommand rejected(String messageId, String correlationId, String contentType, String body,
            String error) {
        return new IncomingCommand(messageId, null, error, messageId, correlationId, SOURCE, contentType, body);
    }

    private static Message proton(AmqpMessage message) {
        return message.getDelegate().unwrap();
    }

    private static String body(Section section) {
        return switch (section) {
            case Data data when data.getValue() != null -> utf8(data.getValue());
            case AmqpValue value when value.getValue() instanceof String text -> text;
            case AmqpValue value when value.getValue() instanceof Binary bytes -> utf8(bytes);
            case null, default -> null;
        };
    }

    private static String utf8(Binary bytes) {
        return new String(bytes.getArray(), bytes.getArrayOffset(), bytes.getLength(), StandardCharsets.UTF_8);
    }

    /** Message and correlation ids may be strings, UUIDs, numbers or binary; all are keys as text. */
    private static String text(Object id) {
        return id == null ? null : id.toString();
    }
}

package io.stormwatch.messaging;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.qpid.proton.amqp.Binary;
import org.apache.qpid.proton.amqp.messaging.AmqpValue;
import org.apache.qpid.proton.amqp.messaging.Data;
import org.apache.qpid.proton.amqp.messaging.Section;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.smallrye.reactive.messaging.amqp.IncomingAmqpMetadata;
import io.stormwatch.api.CommandReply;
import io.stormwatch.command.CommandDecoder;
import io.stormwatch.command.IncomingCommand;
import io.stormwatch.eventstore.EventCodec;
import io.stormwatch.infra.StormwatchConfig;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * AMQP messages to commands and replies to AMQP messages. The connector hands the body over as a JsonObject
 * (data section, application/json), a String (amqp-value) or bytes, depending on how the client sent it: all
 * are accepted.
 */
@ApplicationScoped
public class AmqpCommands {

    static final String SOURCE = "amqp:" + Addresses.COMMANDS;
    /** How much of an oversized body is kept with its dead letter. */
    private static final int KEPT_BODY_CHARS = 64 * 1024;

    private final CommandDecoder decoder;
    private final EventCodec codec;
    private final int maxBodyBytes;

    public AmqpCommands(CommandDecoder decoder, EventCodec codec, StormwatchConfig config) {
        this.decoder = decoder;
        this.codec = codec;
        this.maxBodyBytes = config.commands().maxBodyBytes();
    }

    public IncomingCommand toCommand(Message<?> message) {
        Optional<IncomingAmqpMetadata> amqp = message.getMetadata(IncomingAmqpMetadata.class);
        String messageId = amqp.map(IncomingAmqpMetadata::getId).orElse(null);
        String correlationId = amqp.map(IncomingAmqpMetadata::getCorrelationId).orElse(messageId);
        String contentType = amqp.map(IncomingAmqpMetadata::getContentType).orElse(null);
        String body = rawBody(message);
        if (body == null) {
            String type = message.getPayload() == null ? "an empty body" : message.getPayload().getClass().getName();
            return rejected(messageId, correlationId, contentType, null,
                    "unsupported body: expected JSON text, got " + type);
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

    private static IncomingCommand rejected(String messageId, String correlationId, String contentType, String body,
            String error) {
        return new IncomingCommand(messageId, null, error, messageId, correlationId, SOURCE, contentType, body);
    }

    /** Where and under which correlation id the reply to {@code request} goes, if it asked for one. */
    public Optional<ReplyTo> replyTo(Message<?> request) {
        return request.getMetadata(IncomingAmqpMetadata.class)
                .filter(amqp -> amqp.getReplyTo() != null && !amqp.getReplyTo().isBlank())
                .map(amqp -> new ReplyTo(amqp.getReplyTo(),
                        amqp.getCorrelationId() != null ? amqp.getCorrelationId() : amqp.getId()));
    }

    public record ReplyTo(String address, String correlationId) {
    }

    public String json(CommandReply reply) {
        return codec.toJson(reply);
    }

    /**
     * The body as the client sent it. The connector has already turned a JSON data section into a JsonObject;
     * the section itself keeps the exact text for the dead-letter store and saves encoding it again.
     */
    private static String rawBody(Message<?> message) {
        if (message instanceof io.smallrye.reactive.messaging.amqp.AmqpMessage<?> amqp) {
            Section section = amqp.getBody();
            if (section instanceof Data data && data.getValue() != null) {
                Binary bytes = data.getValue();
                return new String(bytes.getArray(), bytes.getArrayOffset(), bytes.getLength(), StandardCharsets.UTF_8);
            }
            if (section instanceof AmqpValue value && value.getValue() instanceof String text) {
                return text;
            }
        }
        return text(message.getPayload());
    }

    static String text(Object payload) {
        return switch (payload) {
            case String text -> text;
            case JsonObject json -> json.encode();
            case JsonArray json -> json.encode();
            case byte[] bytes -> new String(bytes, StandardCharsets.UTF_8);
            case Buffer buffer -> buffer.toString(StandardCharsets.UTF_8);
            case null, default -> null;
        };
    }
}

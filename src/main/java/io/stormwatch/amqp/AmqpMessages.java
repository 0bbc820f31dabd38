package io.stormwatch.amqp;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.apache.qpid.proton.amqp.Binary;
import org.apache.qpid.proton.amqp.Symbol;
import org.apache.qpid.proton.amqp.messaging.AmqpValue;
import org.apache.qpid.proton.amqp.messaging.Data;
import org.apache.qpid.proton.amqp.messaging.Rejected;
import org.apache.qpid.proton.amqp.messaging.Section;
import org.apache.qpid.proton.amqp.transport.ErrorCondition;
import org.apache.qpid.proton.amqp.transport.LinkError;
import org.apache.qpid.proton.message.Message;

import io.vertx.mutiny.amqp.AmqpMessage;

/** What the service reads of an incoming AMQP message, read from Proton directly so nothing is parsed early. */
public final class AmqpMessages {

    /** Where and under which correlation id the reply to a message goes. */
    public record ReplyTo(String address, String correlationId) {
    }

    private AmqpMessages() {
    }

    /** JSON text as a data section (whatever the content type) or an AMQP string value; null for anything else. */
    public static String body(AmqpMessage message) {
        return switch (proton(message).getBody()) {
            case Data data when data.getValue() != null -> utf8(data.getValue());
            case AmqpValue value when value.getValue() instanceof String text -> text;
            case AmqpValue value when value.getValue() instanceof Binary bytes -> utf8(bytes);
            case null, default -> null;
        };
    }

    /** What the body is, for an error message: "an empty body", "an AMQP AmqpValue". */
    public static String bodyKind(AmqpMessage message) {
        Section section = proton(message).getBody();
        return section == null ? "an empty body" : "an AMQP " + section.getType();
    }

    /** The reply-to, with the request's correlation-id, or its message-id when it has none. */
    public static Optional<ReplyTo> replyTo(AmqpMessage request) {
        Message proton = proton(request);
        String replyTo = proton.getReplyTo();
        if (replyTo == null || replyTo.isBlank()) {
            return Optional.empty();
        }
        Object correlationId = proton.getCorrelationId() != null ? proton.getCorrelationId() : proton.getMessageId();
        return Optional.of(new ReplyTo(replyTo, text(correlationId)));
    }

    public static String messageId(AmqpMessage message) {
        return text(proton(message).getMessageId());
    }

    public static String correlationId(AmqpMessage message) {
        return text(proton(message).getCorrelationId());
    }

    /** A string application property, or null when it is absent or not a string. */
    public static String stringProperty(AmqpMessage message, String name) {
        var properties = proton(message).getApplicationProperties();
        return properties != null && properties.getValue() != null
                && properties.getValue().get(name) instanceof String value ? value : null;
    }

    /**
     * Where the broker first received a message it has since moved (to its dead-letter address): Artemis keeps it
     * as the message annotation x-opt-ORIG-ADDRESS (the property _AMQ_ORIG_ADDRESS of its core messages); null if
     * the broker does not say.
     */
    public static String originalAddress(AmqpMessage message) {
        var annotations = proton(message).getMessageAnnotations();
        if (annotations != null && annotations.getValue() != null) {
            Object address = annotations.getValue().get(Symbol.valueOf("x-opt-ORIG-ADDRESS"));
            if (address != null) {
                return address.toString();
            }
        }
        return stringProperty(message, "_AMQ_ORIG_ADDRESS");
    }

    /** The outcome of a message over a link's size limit: rejected, with the reason for the sender and the broker. */
    public static Rejected rejectedUnread(String what, long limit, String setting) {
        Rejected rejected = new Rejected();
        rejected.setError(new ErrorCondition(LinkError.MESSAGE_SIZE_EXCEEDED, what + " message of more than " + limit
                + " bytes (" + setting + "): rejected unread, not executed"));
        return rejected;
    }

    /**
     * The sender's identity as the broker vouches for it: the AMQP {@code user-id} property when {@code property} is
     * "user-id" (RabbitMQ refuses a message whose user-id is not its connection's user), else the application property
     * of that name (Artemis with the ValidatedUserStamp plugin: _AMQ_VALIDATED_USER).
     */
    public static String sender(AmqpMessage message, String property) {
        if ("user-id".equals(property)) {
            byte[] userId = proton(message).getUserId();
            return userId == null ? null : new String(userId, StandardCharsets.UTF_8);
        }
        return stringProperty(message, property);
    }

    public static String contentType(AmqpMessage message) {
        return proton(message).getContentType();
    }

    private static Message proton(AmqpMessage message) {
        return message.getDelegate().unwrap();
    }

    private static String utf8(Binary bytes) {
        return new String(bytes.getArray(), bytes.getArrayOffset(), bytes.getLength(), StandardCharsets.UTF_8);
    }

    /** Message and correlation ids may be strings, UUIDs, numbers or binary; all are keys as text. */
    private static String text(Object id) {
        return id == null ? null : id.toString();
    }
}

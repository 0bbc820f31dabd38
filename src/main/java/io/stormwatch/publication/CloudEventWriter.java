package io.stormwatch.publication;

import static io.smallrye.reactive.messaging.amqp.ce.AmqpCloudEventHelper.AMQP_HEADER_FOR_CONTENT_TYPE;
import static io.smallrye.reactive.messaging.amqp.ce.AmqpCloudEventHelper.AMQP_HEADER_FOR_ID;
import static io.smallrye.reactive.messaging.amqp.ce.AmqpCloudEventHelper.AMQP_HEADER_FOR_SOURCE;
import static io.smallrye.reactive.messaging.amqp.ce.AmqpCloudEventHelper.AMQP_HEADER_FOR_SPEC_VERSION;
import static io.smallrye.reactive.messaging.amqp.ce.AmqpCloudEventHelper.AMQP_HEADER_FOR_SUBJECT;
import static io.smallrye.reactive.messaging.amqp.ce.AmqpCloudEventHelper.AMQP_HEADER_FOR_TIME;
import static io.smallrye.reactive.messaging.amqp.ce.AmqpCloudEventHelper.AMQP_HEADER_FOR_TYPE;
import static io.smallrye.reactive.messaging.amqp.ce.AmqpCloudEventHelper.CE_HEADER_PREFIX;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;

import io.stormwatch.eventstore.EventMetadata;
import io.stormwatch.eventstore.RecordedEvent;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.amqp.AmqpMessage;
import io.vertx.mutiny.core.buffer.Buffer;

/**
 * A stored event as a durable AMQP message in CloudEvents binary mode, byte for byte as the SmallRye AMQP
 * connector writes one (its own header names, {@code cloudEvents:} prefix, ISO offset time), so that a SmallRye
 * {@code @Incoming} method gets it with {@code IncomingCloudEventMetadata}. The body is the event's JSON payload: as
 * this service appended it, or as the store serves it when it is read back (the same JSON, which PostgreSQL's jsonb
 * may space and order differently).
 */
public final class CloudEventWriter {

    /** Extension attribute: the event's global position in the log. */
    public static final String POSITION = "position";
    /** Extension attribute: the event's version within its stream. */
    public static final String STREAM_VERSION = "streamversion";
    public static final String SPEC_VERSION = "1.0";
    public static final String CONTENT_TYPE = "application/json";
    /** The W3C trace context of the step that appended the event (an application property, as SmallRye reads it). */
    public static final String TRACEPARENT = "traceparent";

    /** The last time written: the events of one append share it. */
    private static volatile Time lastTime = new Time(null, null);

    private record Time(OffsetDateTime time, String text) {
    }

    private CloudEventWriter() {
    }

    private static String time(OffsetDateTime time) {
        Time last = lastTime;
        if (time.equals(last.time())) {
            return last.text();
        }
        String text = DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(time);
        lastTime = new Time(time, text);
        return text;
    }

    public static AmqpMessage toMessage(RecordedEvent event, String source) {
        JsonObject properties = new JsonObject()
                .put(AMQP_HEADER_FOR_SPEC_VERSION, SPEC_VERSION)
                .put(AMQP_HEADER_FOR_ID, event.eventId().toString())
                .put(AMQP_HEADER_FOR_TYPE, event.type())
                .put(AMQP_HEADER_FOR_SOURCE, source)
                .put(AMQP_HEADER_FOR_SUBJECT, event.streamId())
                .put(AMQP_HEADER_FOR_CONTENT_TYPE, CONTENT_TYPE)
                .put(AMQP_HEADER_FOR_TIME, time(event.recordedAt()))
                .put(CE_HEADER_PREFIX + POSITION, event.position())
                .put(CE_HEADER_PREFIX + STREAM_VERSION, event.streamVersion());
        String traceparent = EventMetadata.traceparentOf(event.metadata());
        if (traceparent != null) {
            properties.put(TRACEPARENT, traceparent);
        }
        return AmqpMessage.create()
                .id(event.eventId().toString())
                .durable(true)
                .contentType(CONTENT_TYPE)
                .applicationProperties(properties)
                .withBufferAsBody(Buffer.buffer(event.payload()))
                .build();
    }
}

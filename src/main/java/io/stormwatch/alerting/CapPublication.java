package io.stormwatch.alerting;

import java.util.List;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;
import io.stormwatch.eventstore.EventLog;
import io.stormwatch.eventstore.EventMetadata;
import io.stormwatch.eventstore.RecordedEvent;
import io.stormwatch.platform.Tracing;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.amqp.AmqpMessage;
import io.vertx.mutiny.core.buffer.Buffer;

/**
 * Alert events as messages on weather.alerts: the CAP 1.2 JSON body, durable, with the message id its CAP
 * identifier, and application properties a subscriber can filter or deduplicate on (the global position).
 */
@Singleton
public class CapPublication {

    public static final String CONTENT_TYPE = "application/json";

    private final CapMessages cap;
    private final EventLog log;
    private final ObjectMapper mapper;

    public CapPublication(CapMessages cap, EventLog log, ObjectMapper mapper) {
        this.cap = cap;
        this.log = log;
        this.mapper = mapper;
    }

    public List<String> types() {
        return CapMessages.TYPES;
    }

    /** The CAP message of an alert event, referring to the alert's earlier messages. */
    public Uni<CapAlert> render(RecordedEvent event) {
        return log.stream(event.streamId(), CapMessages.TYPES, event.position())
                .map(earlier -> cap.render(event, earlier));
    }

    public Uni<AmqpMessage> toMessage(RecordedEvent event) {
        return render(event).map(alert -> AmqpMessage.create()
                .id(alert.identifier())
                .durable(true)
                .contentType(CONTENT_TYPE)
                .subject(alert.msgType())
                .applicationProperties(new JsonObject()
                        .put("position", event.position())
                        .put("alertId", event.streamId().substring("alert-".length()))
                        .put("msgType", alert.msgType())
                        .put("severity", alert.info().getFirst().severity())
                        .put("stationId", alert.info().getFirst().parameter().getFirst().value())
                        .put(Tracing.TRACEPARENT, EventMetadata.traceparentOf(event.metadata())))
                .withBufferAsBody(Buffer.buffer(json(alert)))
                .build());
    }

    private String json(CapAlert alert) {
        try {
            return mapper.writeValueAsString(alert);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("CAP alert " + alert.identifier() + " cannot be written", e);
        }
    }
}

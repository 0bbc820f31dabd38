package io.stormwatch.messaging;

import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.reactive.messaging.amqp.IncomingAmqpMetadata;
import io.smallrye.reactive.messaging.ce.IncomingCloudEventMetadata;
import io.stormwatch.alerting.AlertEvaluator;
import io.stormwatch.alerting.AlertProjector;
import io.stormwatch.eventstore.RecordedEvent;
import io.stormwatch.infra.Metrics;
import io.stormwatch.projection.Delivery;
import io.stormwatch.projection.ObservationProjector;
import io.stormwatch.projection.StationProjector;
import io.stormwatch.projection.Subscriptions;
import io.stormwatch.publication.CloudEventWriter;
import io.vertx.core.json.JsonObject;

/**
 * The links of the service's own event handlers on weather.events: one SmallRye AMQP channel per handler, each
 * its own subscription to the multicast address, read with the connector's CloudEvents support. A message that is
 * not a Stormwatch event is settled and dropped with a warning: the handler's subscription reads the event store,
 * so nothing a handler needs can be lost that way.
 */
@ApplicationScoped
public class EventLinks {

    private static final Logger LOG = Logger.getLogger(EventLinks.class);

    private final Multi<Message<Object>> stations;
    private final Multi<Message<Object>> alertEvaluator;
    private final Multi<Message<Object>> alerts;
    private final Multi<Message<Object>> observations;
    private final Subscriptions subscriptions;
    private final Metrics metrics;

    public EventLinks(@Channel(Addresses.STATION_PROJECTION_CHANNEL) Multi<Message<Object>> stations,
            @Channel(Addresses.ALERT_EVALUATOR_CHANNEL) Multi<Message<Object>> alertEvaluator,
            @Channel(Addresses.ALERT_PROJECTION_CHANNEL) Multi<Message<Object>> alerts,
            @Channel(Addresses.OBSERVATION_PROJECTION_CHANNEL) Multi<Message<Object>> observations,
            Subscriptions subscriptions, Metrics metrics) {
        this.metrics = metrics;
        this.stations = stations;
        this.alertEvaluator = alertEvaluator;
        this.alerts = alerts;
        this.observations = observations;
        this.subscriptions = subscriptions;
    }

    /** Each event handler's channel; a handler added to the service gets its channel here and in the properties. */
    private static final Map<String, String> CHANNELS = Map.of(
            StationProjector.NAME, Addresses.STATION_PROJECTION_CHANNEL,
            AlertEvaluator.NAME, Addresses.ALERT_EVALUATOR_CHANNEL,
            AlertProjector.NAME, Addresses.ALERT_PROJECTION_CHANNEL,
            ObservationProjector.NAME, Addresses.OBSERVATION_PROJECTION_CHANNEL);

    void start(@Observes StartupEvent started) {
        link(stations, StationProjector.NAME);
        link(alertEvaluator, AlertEvaluator.NAME);
        link(alerts, AlertProjector.NAME);
        link(observations, ObservationProjector.NAME);
    }

    public String channelOf(String handler) {
        String channel = CHANNELS.get(handler);
        if (channel == null) {
            throw new IllegalStateException("event handler " + handler + " has no channel on " + Addresses.EVENTS);
        }
        return channel;
    }

    private void link(Multi<Message<Object>> channel, String handler) {
        String name = channelOf(handler);
        channel.map(EventLinks::toDelivery)
                .invoke(delivery -> metrics.channelMessage(name, delivery.isPresent() ? "delivered" : "dropped"))
                .filter(Optional::isPresent)
                .map(Optional::get)
                .subscribe().withSubscriber(subscriptions.get(handler).newPipeline());
    }

    /**
     * A delivery's metadata is its trace context only (the rest stays in the store): what a handler that appends
     * events needs to continue the trace.
     */
    private static String traceOnly(Message<Object> message) {
        String traceparent = message.getMetadata(IncomingAmqpMetadata.class)
                .map(amqp -> amqp.getProperties().getString(CloudEventWriter.TRACEPARENT)).orElse(null);
        return traceparent == null ? null : new JsonObject().put(CloudEventWriter.TRACEPARENT, traceparent).encode();
    }

    static Optional<Delivery> toDelivery(Message<Object> message) {
        try {
            IncomingCloudEventMetadata<?> ce = message.getMetadata(IncomingCloudEventMetadata.class)
                    .orElseThrow(() -> new IllegalArgumentException("no CloudEvents attributes"));
            long position = number(ce, CloudEventWriter.POSITION);
            RecordedEvent event = new RecordedEvent(position, UUID.fromString(ce.getId()),
                    ce.getSubject().orElseThrow(() -> new IllegalArgumentException("no subject")),
                    number(ce, CloudEventWriter.STREAM_VERSION), ce.getType(), payload(message.getPayload()),
                    traceOnly(message),
                    ce.getTimeStamp().map(ZonedDateTime::toOffsetDateTime).orElse(null));
            return Optional.of(new Delivery(event, message::ack));
        } catch (RuntimeException e) {
            LOG.warnf("dropped a message on %s that is not a Stormwatch event: %s", Addresses.EVENTS, e.getMessage());
            message.ack();
            return Optional.empty();
        }
    }

    private static long number(IncomingCloudEventMetadata<?> ce, String extension) {
        Object value = ce.getExtension(extension)
                .orElseThrow(() -> new IllegalArgumentException("no " + extension + " extension attribute"));
        if (value instanceof Number number) {
            return number.longValue();
        }
        return Long.parseLong(value.toString());
    }

    private static String payload(Object payload) {
        return switch (payload) {
            case JsonObject json -> json.encode();
            case byte[] bytes -> new String(bytes, StandardCharsets.UTF_8);
            case String text -> text;
            default -> throw new IllegalArgumentException("unexpected payload " + payload.getClass().getName());
        };
    }
}

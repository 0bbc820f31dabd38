package io.stormwatch.alerting;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import jakarta.inject.Singleton;

import io.stormwatch.api.Event.AlertCleared;
import io.stormwatch.api.Event.AlertInfo;
import io.stormwatch.api.Event.AlertRaised;
import io.stormwatch.api.Event.AlertUpdated;
import io.stormwatch.api.Event;
import io.stormwatch.eventstore.EventCodec;
import io.stormwatch.eventstore.RecordedEvent;
import io.stormwatch.platform.StormwatchConfig;

/**
 * Alert events as CAP 1.2 messages: {@code AlertRaised} is an {@code Alert}, {@code AlertUpdated} an
 * {@code Update} and {@code AlertCleared} a {@code Cancel}, each referring to the alert's earlier messages. A
 * message's identifier derives from its event id, so a re-sent message is the same message.
 */
@Singleton
public class CapMessages {

    /** The alert events that are CAP messages (an acknowledgement is not). */
    public static final List<String> TYPES = Event.names(AlertRaised.class, AlertUpdated.class, AlertCleared.class);

    /** CAP times: second precision, in UTC, written "-00:00" as CAP 1.2 asks ("Z" is not allowed). */
    private static final DateTimeFormatter CAP_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'-00:00'");

    private final EventCodec codec;
    private final String sender;
    private final double radiusKm;

    public CapMessages(EventCodec codec, StormwatchConfig config) {
        this.codec = codec;
        this.sender = config.alerts().sender();
        this.radiusKm = config.alerts().areaRadiusKm();
    }

    /** The CAP message of {@code event}, given the alert's earlier CAP events in order. */
    public CapAlert render(RecordedEvent event, List<RecordedEvent> earlier) {
        Event decoded = codec.fromJson(event.type(), event.payload());
        String msgType;
        AlertInfo info;
        String reason = null;
        switch (decoded) {
            case AlertRaised raised -> {
                msgType = "Alert";
                info = raised.info();
            }
            case AlertUpdated updated -> {
                msgType = "Update";
                info = updated.info();
                reason = updated.reason();
            }
            case AlertCleared cleared -> {
                msgType = "Cancel";
                info = cleared.info();
                reason = cleared.reason();
            }
            default -> throw new IllegalArgumentException(event.type() + " is not a CAP message");
        }
        String references = earlier.isEmpty() ? null : earlier.stream()
                .map(e -> sender + "," + identifier(e) + "," + time(e.recordedAt()))
                .collect(Collectors.joining(" "));
        List<CapAlert.Parameter> parameters = new ArrayList<>(List.of(
                new CapAlert.Parameter("stationId", info.stationId()),
                new CapAlert.Parameter("ruleId", info.ruleId()),
                new CapAlert.Parameter("metric", info.metric()),
                new CapAlert.Parameter("value", number(info.value())),
                new CapAlert.Parameter("threshold", info.operator() + " " + number(info.threshold()))));
        if (reason != null) {
            parameters.add(new CapAlert.Parameter("reason", reason));
        }
        // A Cancel tells the public the danger is over (CAP responseType AllClear); the others leave it to the event.
        List<String> response = msgType.equals("Cancel") ? List.of("AllClear") : null;
        CapAlert.Info capInfo = new CapAlert.Info("en-US", List.of("Met"), info.event(), response, info.urgency(),
                info.severity(), "Observed", time(info.onset()), time(info.expires()), "Stormwatch",
                headline(msgType, info), description(msgType, info, reason), parameters,
                List.of(new CapAlert.Area("Within " + number(radiusKm) + " km of station " + info.stationId(),
                        List.of(number(info.latitude()) + "," + number(info.longitude()) + " " + number(radiusKm)))));
        return new CapAlert(identifier(event), sender, time(event.recordedAt()), "Actual", msgType, "Public",
                references, List.of(capInfo));
    }

    public static String identifier(RecordedEvent event) {
        return "stormwatch-" + event.eventId();
    }

    private static String headline(String msgType, AlertInfo i) {
        String measured = i.metric() + " " + number(i.value());
        return switch (msgType) {
            case "Alert" -> i.event() + " at " + i.stationId() + ": " + measured + " " + i.operator() + " "
                    + number(i.threshold());
            case "Update" -> i.event() + " continues at " + i.stationId() + ": " + measured;
            default -> i.event() + " over at " + i.stationId() + ": " + measured;
        };
    }

    private static String description(String msgType, AlertInfo i, String reason) {
        String measured = "Station " + i.stationId() + " measured " + i.metric() + " " + number(i.value()) + " at "
                + time(i.observedAt()) + ". The alert is raised at " + i.operator() + " " + number(i.threshold())
                + " and clears when the value is no longer " + i.operator() + " " + number(i.clearThreshold()) + ".";
        return switch (msgType) {
            case "Alert" -> measured;
            case "Update" -> measured + " Re-issued (" + reason + ").";
            default -> measured + " Cancelled (" + reason + ").";
        };
    }

    static String time(OffsetDateTime time) {
        return CAP_TIME.format(time.withOffsetSameInstant(ZoneOffset.UTC));
    }

    static String time(Instant instant) {
        return CAP_TIME.format(instant.atOffset(ZoneOffset.UTC));
    }

    private static String number(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }
}

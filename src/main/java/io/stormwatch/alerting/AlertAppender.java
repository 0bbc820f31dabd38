package io.stormwatch.alerting;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Singleton;


import io.smallrye.mutiny.Uni;
import io.stormwatch.api.Event.AlertCleared;
import io.stormwatch.api.Event.AlertRaised;
import io.stormwatch.api.Event.AlertUpdated;
import io.stormwatch.api.Event;
import io.stormwatch.eventstore.EventMetadata;
import io.stormwatch.eventstore.EventStore;
import io.stormwatch.eventstore.NewEvent;
import io.stormwatch.eventstore.SqlTransaction;
import io.stormwatch.eventstore.StoreTransaction;
import io.stormwatch.platform.Logs;
import io.stormwatch.platform.Metrics;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * Appends the alert events the evaluator decides, under the append lock the caller took, each with the event
 * that caused it (the observation, the rule change) as its causation id.
 */
@Singleton
public class AlertAppender {

    static final String SOURCE = "alert-evaluator";

    /** An event to append, the id of the event (or "expiry") that caused it, and its trace context (or null). */
    public record Caused(Event event, String causationId, String traceparent) {
    }

    private final EventStore eventStore;
    private final Metrics metrics;

    public AlertAppender(EventStore eventStore, Metrics metrics) {
        this.eventStore = eventStore;
        this.metrics = metrics;
    }

    /**
     * Counts alert events that have committed (appended events, and alerts by CAP msgType and severity) and logs
     * each, with its alert and station in the MDC.
     */
    public void count(List<Event> committed) {
        metrics.events(SOURCE, committed.size());
        for (Event event : committed) {
            switch (event) {
                case AlertRaised raised -> {
                    metrics.alert("Alert", raised.info().severity());
                    log(raised.alertId(), raised.info(), "raised", null);
                }
                case AlertUpdated updated -> {
                    metrics.alert("Update", updated.info().severity());
                    log(updated.alertId(), updated.info(), "updated", updated.reason());
                }
                case AlertCleared cleared -> {
                    metrics.alert("Cancel", cleared.info().severity());
                    log(cleared.alertId(), cleared.info(), "cleared", cleared.reason());
                }
                default -> {
                }
            }
        }
    }

    private static void log(String alertId, Event.AlertInfo info, String what, String reason) {
        Logs.info(AlertAppender.class, () -> "alert %s %s%s: %s at station %s, rule %s, %s %s %s (value %s)".formatted(
                        alertId, what, reason == null ? "" : " (" + reason + ")", info.severity(), info.stationId(),
                        info.ruleId(), info.metric(), info.operator(), info.threshold(), info.value()),
                Logs.ALERT_ID, alertId, Logs.STATION_ID, info.stationId());
    }

    /** Takes the append lock and appends after the head; gives how many were appended. */
    public Uni<Integer> append(SqlConnection connection, List<Caused> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        StoreTransaction tx = new SqlTransaction(connection);
        Set<String> streams = new LinkedHashSet<>();
        events.forEach(caused -> streams.add(caused.event().streamId()));
        // The lock and the versions in one round trip: the versions are read once the lock is held.
        return Uni.combine().all().unis(eventStore.lockAppends(tx), eventStore.streamStates(tx, streams)).asTuple()
                .chain(read -> {
                    Map<String, Long> versions = read.getItem2().versions();
                    List<NewEvent> rows = new ArrayList<>(events.size());
                    long position = read.getItem1();
                    for (Caused caused : events) {
                        long version = versions.merge(caused.event().streamId(), 1L, Long::sum);
                        rows.add(new NewEvent(++position, version, caused.event(), new EventMetadata(null,
                                caused.causationId(), caused.causationId(), SOURCE, caused.traceparent())));
                    }
                    return eventStore.append(tx, rows).map(List::size);
                });
    }
}

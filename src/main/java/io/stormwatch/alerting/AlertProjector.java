package io.stormwatch.alerting;

import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import jakarta.inject.Singleton;

import io.smallrye.mutiny.Uni;
import io.stormwatch.api.Event;
import io.stormwatch.api.Event.AlertAcknowledged;
import io.stormwatch.api.Event.AlertCleared;
import io.stormwatch.api.Event.AlertInfo;
import io.stormwatch.api.Event.AlertRaised;
import io.stormwatch.api.Event.AlertUpdated;
import io.stormwatch.eventstore.EventCodec;
import io.stormwatch.eventstore.RecordedEvent;
import io.stormwatch.projection.EventHandler;
import io.stormwatch.projection.EventHandler.Statement;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/** The alert view: one row per alert, its latest picture and its lifecycle times. Replays change nothing. */
@Singleton
public class AlertProjector implements EventHandler {

    public static final String NAME = "alerts";

    private static final String RAISED = """
            INSERT INTO alert_view (alert_id, station_id, rule_id, event, severity, urgency, metric, operator,
                threshold, clear_threshold, value, onset, expires, state, raised_at, raised_position, last_position)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 'active', $14, $15, $15)
            ON CONFLICT (alert_id) DO NOTHING""";

    private static final String CHANGED = """
            UPDATE alert_view SET event = $2, severity = $3, urgency = $4, threshold = $5, clear_threshold = $6,
                value = $7, expires = $8, updated_at = $9, last_position = $10,
                state = CASE WHEN $11::text IS NULL THEN state ELSE 'cleared' END,
                cleared_at = CASE WHEN $11::text IS NULL THEN cleared_at ELSE $9 END,
                clear_reason = COALESCE($11::text, clear_reason)
            WHERE alert_id = $1 AND last_position < $10""";

    private static final String ACKNOWLEDGED = """
            UPDATE alert_view SET acknowledged_by = $2, acknowledgement_note = $3, acknowledged_at = $4,
                last_position = $5
            WHERE alert_id = $1 AND last_position < $5""";

    private final EventCodec codec;

    public AlertProjector(EventCodec codec) {
        this.codec = codec;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> viewTables() {
        return List.of("alert_view");
    }

    @Override
    public List<String> eventTypes() {
        return Event.names(AlertRaised.class, AlertUpdated.class, AlertCleared.class, AlertAcknowledged.class);
    }

    @Override
    public Uni<Void> apply(SqlConnection tx, List<RecordedEvent> events) {
        List<Statement> statements = new ArrayList<>(events.size());
        for (RecordedEvent stored : events) {
            Statement statement = statement(stored);
            if (statement != null) {
                statements.add(statement);
            }
        }
        return EventHandler.inOrder(tx, statements);
    }

    private Statement statement(RecordedEvent stored) {
        Event event = codec.decode(stored);
        Object at = stored.recordedAt();
        long position = stored.position();
        return switch (event) {
            case AlertRaised raised -> {
                AlertInfo i = raised.info();
                yield statement(RAISED, raised.alertId(), i.stationId(), i.ruleId(), i.event(), i.severity(),
                        i.urgency(), i.metric(), i.operator(), i.threshold(), i.clearThreshold(), i.value(),
                        i.onset().atOffset(ZoneOffset.UTC), i.expires().atOffset(ZoneOffset.UTC), at, position);
            }
            case AlertUpdated updated -> changed(updated.alertId(), updated.info(), at, position, null);
            case AlertCleared cleared -> changed(cleared.alertId(), cleared.info(), at, position, cleared.reason());
            case AlertAcknowledged ack -> statement(ACKNOWLEDGED, ack.alertId(), ack.by(), ack.note(), at, position);
            default -> null;
        };
    }

    private static Statement changed(String alertId, AlertInfo i, Object at, long position, String clearReason) {
        return statement(CHANGED, alertId, i.event(), i.severity(), i.urgency(), i.threshold(), i.clearThreshold(),
                i.value(), i.expires().atOffset(ZoneOffset.UTC), at, position, clearReason);
    }

    private static Statement statement(String sql, Object... parameters) {
        return new Statement(sql, Tuple.tuple(Arrays.asList(parameters)));
    }
}

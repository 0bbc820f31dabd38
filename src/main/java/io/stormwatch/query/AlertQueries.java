package io.stormwatch.query;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import jakarta.inject.Singleton;

import io.smallrye.mutiny.Uni;
import io.stormwatch.alerting.CapAlert;
import io.stormwatch.alerting.CapMessages;
import io.stormwatch.alerting.CapPublication;
import io.stormwatch.api.Event;
import io.stormwatch.api.Event.AlertRuleDefined;
import io.stormwatch.eventstore.EventCodec;
import io.stormwatch.eventstore.StoredEvents;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** Alerts and rules from the read model, newest alerts first. */
@Singleton
public class AlertQueries {

    /** Which alerts a list asks for; null fields do not filter. */
    public record Filter(String state, String stationId, String severity) {
    }

    private static final String COLUMNS = """
            alert_id, station_id, rule_id, event, severity, urgency, metric, operator, threshold, clear_threshold,
            value, onset, expires, state, raised_at, updated_at, cleared_at, clear_reason, acknowledged_by,
            acknowledged_at, acknowledgement_note, raised_position""";

    private static final String LIST = "SELECT " + COLUMNS + """
             FROM alert_view
            WHERE ($1::text IS NULL OR state = $1) AND ($2::text IS NULL OR station_id = $2)
              AND ($3::text IS NULL OR severity = $3) AND raised_position < $4
            ORDER BY raised_position DESC
            LIMIT $5""";

    private final Pool pool;
    private final StoredEvents events;
    private final EventCodec codec;
    private final CapPublication cap;

    public AlertQueries(Pool pool, StoredEvents events, EventCodec codec, CapPublication cap) {
        this.pool = pool;
        this.events = events;
        this.codec = codec;
        this.cap = cap;
    }

    public Uni<Page<AlertView>> list(Filter filter, String cursor, int limit) {
        long before = cursor == null ? Long.MAX_VALUE : Cursors.decodeLong("a", cursor);
        return pool.preparedQuery(LIST).execute(Tuple.tuple(Arrays.asList(filter.state(), filter.stationId(),
                filter.severity(), before, limit + 1))).map(rows -> {
                    List<AlertView> alerts = new ArrayList<>();
                    long last = 0;
                    for (Row row : rows) {
                        if (alerts.size() == limit) {
                            return new Page<>(alerts, Cursors.encode("a", Long.toString(last)));
                        }
                        alerts.add(read(row));
                        last = row.getLong(21);
                    }
                    return new Page<>(alerts, null);
                });
    }

    public Uni<Optional<AlertDetails>> get(String alertId) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM alert_view WHERE alert_id = $1")
                .execute(Tuple.of(alertId))
                .chain(rows -> {
                    if (rows.size() == 0) {
                        return Uni.createFrom().item(Optional.<AlertDetails>empty());
                    }
                    AlertView alert = read(rows.iterator().next());
                    return events.stream(Event.alertStream(alertId), List.of())
                            .map(history -> Optional.of(new AlertDetails(alert, history)));
                });
    }

    /** The alert's latest CAP message (what weather.alerts carried last for it). */
    public Uni<Optional<CapAlert>> latestCap(String alertId) {
        return events.stream(Event.alertStream(alertId), CapMessages.TYPES).chain(messages -> messages
                .isEmpty() ? Uni.createFrom().item(Optional.<CapAlert>empty())
                        : cap.render(messages.getLast()).map(Optional::of));
    }

    public Uni<List<AlertRuleDefined>> rules() {
        return pool.query("SELECT definition::text FROM alert_rule ORDER BY rule_id").execute().map(rows -> {
            List<AlertRuleDefined> rules = new ArrayList<>();
            for (Row row : rows) {
                rules.add(codec.read(row.getString(0), AlertRuleDefined.class));
            }
            return rules;
        });
    }

    private static AlertView read(Row r) {
        AlertView.Acknowledgement ack = r.getString(18) == null ? null
                : new AlertView.Acknowledgement(r.getString(18), r.getOffsetDateTime(19), r.getString(20));
        return new AlertView(r.getString(0), r.getString(1), r.getString(2), r.getString(3), r.getString(4),
                r.getString(5), r.getString(6), r.getString(7), r.getDouble(8), r.getDouble(9), r.getDouble(10),
                r.getOffsetDateTime(11), r.getOffsetDateTime(12), r.getString(13), r.getOffsetDateTime(14),
                r.getOffsetDateTime(15), r.getOffsetDateTime(16), r.getString(17), ack);
    }
}

package io.stormwatch.alerting;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Singleton;

import io.smallrye.mutiny.Uni;
import io.stormwatch.api.Event.AlertInfo;
import io.stormwatch.api.Event.AlertRuleDefined;
import io.stormwatch.domain.AlertRule;
import io.stormwatch.domain.AlertState;
import io.stormwatch.eventstore.EventCodec;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/** The evaluator's tables: the rules in force and the state of every (station, rule), on the caller's transaction. */
@Singleton
public class AlertStore {

    private static final String STATE_COLUMNS = """
            station_id, rule_id, condition_since, active_alert_id, active_info::text, last_observed_at, last_value,
            issued_observed_at""";

    private static final String SAVE_STATE = """
            INSERT INTO alert_state (station_id, rule_id, condition_since, active_alert_id, active_info,
                last_observed_at, last_value, issued_observed_at, expires_at)
            VALUES ($1, $2, $3, $4, CAST($5::text AS jsonb), $6, $7, $8, $9)
            ON CONFLICT (station_id, rule_id) DO UPDATE SET condition_since = EXCLUDED.condition_since,
                active_alert_id = EXCLUDED.active_alert_id, active_info = EXCLUDED.active_info,
                last_observed_at = EXCLUDED.last_observed_at, last_value = EXCLUDED.last_value,
                issued_observed_at = EXCLUDED.issued_observed_at, expires_at = EXCLUDED.expires_at""";

    private final EventCodec codec;

    public AlertStore(EventCodec codec) {
        this.codec = codec;
    }

    public Uni<Map<String, AlertRule>> rules(SqlConnection tx) {
        return tx.query("SELECT rule_id, definition::text FROM alert_rule").execute().map(rows -> {
            Map<String, AlertRule> rules = new HashMap<>();
            for (Row row : rows) {
                rules.put(row.getString(0), AlertRule.of(codec.read(row.getString(1), AlertRuleDefined.class)));
            }
            return rules;
        });
    }

    public Uni<Void> saveRule(SqlConnection tx, AlertRuleDefined rule, long position) {
        return tx.preparedQuery("""
                        INSERT INTO alert_rule (rule_id, definition, defined_position) VALUES ($1, CAST($2::text AS jsonb), $3)
                        ON CONFLICT (rule_id) DO UPDATE SET definition = EXCLUDED.definition,
                            defined_position = EXCLUDED.defined_position""")
                .execute(Tuple.of(rule.ruleId(), codec.toJson(rule), position)).replaceWithVoid();
    }

    public Uni<Void> deleteRule(SqlConnection tx, String ruleId) {
        return tx.preparedQuery("DELETE FROM alert_rule WHERE rule_id = $1").execute(Tuple.of(ruleId))
                .chain(() -> tx.preparedQuery("DELETE FROM alert_state WHERE rule_id = $1").execute(Tuple.of(ruleId)))
                .replaceWithVoid();
    }

    /** The states of these stations, locked for the transaction. */
    public Uni<List<AlertState>> statesOfStations(SqlConnection tx, Collection<String> stationIds) {
        return states(tx, "SELECT " + STATE_COLUMNS + " FROM alert_state WHERE station_id = ANY($1) FOR UPDATE",
                Tuple.of(stationIds.toArray(String[]::new)));
    }

    /** The states of a rule that have an active alert, locked. */
    public Uni<List<AlertState>> activeOfRule(SqlConnection tx, String ruleId) {
        return states(tx, "SELECT " + STATE_COLUMNS + " FROM alert_state WHERE rule_id = $1"
                + " AND active_alert_id IS NOT NULL FOR UPDATE", Tuple.of(ruleId));
    }

    /** Active alerts whose expiry has passed, oldest deadline first, locked. */
    public Uni<List<AlertState>> expired(SqlConnection tx, int limit) {
        return states(tx, "SELECT " + STATE_COLUMNS + " FROM alert_state WHERE active_alert_id IS NOT NULL"
                + " AND expires_at <= now() ORDER BY expires_at LIMIT $1 FOR UPDATE", Tuple.of(limit));
    }

    public Uni<Void> save(SqlConnection tx, Collection<AlertState> states) {
        if (states.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> rows = new ArrayList<>(states.size());
        for (AlertState s : states) {
            AlertInfo info = s.activeInfo();
            rows.add(Tuple.tuple(Arrays.asList(s.stationId(), s.ruleId(), time(s.conditionSince()), s.activeAlertId(),
                    info == null ? null : codec.toJson(info), time(s.lastObservedAt()), s.lastValue(),
                    time(s.issuedObservedAt()), info == null ? null : time(info.expires()))));
        }
        return tx.preparedQuery(SAVE_STATE).executeBatch(rows).replaceWithVoid();
    }

    private Uni<List<AlertState>> states(SqlConnection tx, String sql, Tuple parameters) {
        return tx.preparedQuery(sql).execute(parameters).map(rows -> {
            List<AlertState> states = new ArrayList<>();
            for (Row row : rows) {
                String info = row.getString(4);
                states.add(new AlertState(row.getString(0), row.getString(1), instant(row, 2), row.getString(3),
                        info == null ? null : codec.read(info, AlertInfo.class), instant(row, 5), row.getDouble(6),
                        instant(row, 7)));
            }
            return states;
        });
    }

    private static OffsetDateTime time(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(Row row, int column) {
        OffsetDateTime value = row.getOffsetDateTime(column);
        return value == null ? null : value.toInstant();
    }
}

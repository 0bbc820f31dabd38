package io.stormwatch.query;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Singleton;

import io.smallrye.mutiny.Uni;
import io.stormwatch.domain.AlertRule;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;

/** Counts and lags, for dashboards and for operators. */
@Singleton
public class StatsQueries {

    /** How far behind the head of the log a projection (or the evaluator) is, in positions. */
    public record Lag(String name, long position, long lag) {
    }

    public record Stats(long stations, long observations, long events, Map<String, Long> activeAlerts,
            List<Lag> projections) {
    }

    private static final String COUNTS = """
            SELECT (SELECT count(*) FROM station_view),
                   (SELECT count(*) FROM observation_view),
                   (SELECT COALESCE(MAX(position), 0) FROM event)""";

    private final Pool pool;

    public StatsQueries(Pool pool) {
        this.pool = pool;
    }

    public Uni<Stats> stats() {
        return pool.query(COUNTS).execute().map(rows -> rows.iterator().next()).chain(counts -> pool
                .query("SELECT severity, count(*) FROM alert_view WHERE state = 'active' GROUP BY severity")
                .execute()
                .chain(alerts -> pool.query("SELECT name, position FROM projection_checkpoint ORDER BY name").execute()
                        .map(checkpoints -> {
                            Map<String, Long> bySeverity = new LinkedHashMap<>();
                            AlertRule.SEVERITIES.forEach(s -> bySeverity.put(s, 0L));
                            for (Row row : alerts) {
                                bySeverity.put(row.getString(0), row.getLong(1));
                            }
                            long head = counts.getLong(2);
                            List<Lag> lags = new ArrayList<>();
                            for (Row row : checkpoints) {
                                lags.add(new Lag(row.getString(0), row.getLong(1), head - row.getLong(1)));
                            }
                            return new Stats(counts.getLong(0), counts.getLong(1), head, bySeverity, lags);
                        })));
    }
}

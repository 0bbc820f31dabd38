package io.stormwatch.projection;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import jakarta.inject.Singleton;

import io.smallrye.mutiny.Uni;
import io.stormwatch.api.Event;
import io.stormwatch.api.Event.ObservationRecorded;
import io.stormwatch.api.Observation;
import io.stormwatch.eventstore.EventCodec;
import io.stormwatch.eventstore.RecordedEvent;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Keeps the observations queryable: each one as a row, and folded into its station's hour and day buckets (min,
 * max, sum and count per metric) by its own observedAt, so a late or out-of-order observation lands in its own
 * bucket. Its subscription passes each event once, in the transaction that moves the checkpoint, so the sums
 * never count an observation twice.
 */
@Singleton
public class ObservationProjector implements EventHandler {

    public static final String NAME = "observations";

    private static final String INSERT = """
            INSERT INTO observation_view (position, station_id, observed_at, temperature_c, humidity_pct,
                wind_speed_ms, wind_gust_ms, pressure_hpa, precipitation_mm)
            SELECT * FROM unnest($1::bigint[], $2::text[], $3::timestamptz[], $4::float8[], $5::float8[],
                $6::float8[], $7::float8[], $8::float8[], $9::float8[])
            ON CONFLICT (position) DO NOTHING""";

    /**
     * The columns station_id and observed_at of an observation's event row, as the statements of a rebuild read
     * them. The payload is the observation's fields; its time is written as {@code Instant.toString()} does, and
     * nanoseconds are cut to the microsecond as {@link ObservationRollup#utc} cuts them (PostgreSQL would round them).
     */
    static final String STATION_AND_TIME = """
            payload->>'stationId' AS station_id,
                (CASE WHEN length(payload->>'observedAt') > 27 AND substr(payload->>'observedAt', 20, 1) = '.'
                    THEN left(payload->>'observedAt', 26) || 'Z'
                    ELSE payload->>'observedAt' END)::timestamptz AS observed_at""";

    /** Its measurements, in the order of {@link #ObservationRollup.METRICS}: t, h, w, g, p, r. */
    static final String MEASUREMENTS = """
            (payload->>'temperatureC')::float8 AS t, (payload->>'humidityPct')::float8 AS h,
                (payload->>'windSpeedMs')::float8 AS w, (payload->>'windGustMs')::float8 AS g,
                (payload->>'pressureHpa')::float8 AS p, (payload->>'precipitationMm')::float8 AS r""";

    /** The observations' event rows at positions ($1, $2]. */
    static final String IN_PAGE = "FROM event WHERE type = 'ObservationRecorded' AND position > $1 AND position <= $2";

    /**
     * The observations at positions ($1, $2] read from the event table, with the columns of {@link #columns}:
     * position, station_id, observed_at, t, h, w, g, p, r.
     */
    static final String FROM_LOG = "SELECT position, " + STATION_AND_TIME + ", " + MEASUREMENTS + " " + IN_PAGE;

    /**
     * A rebuild's page in one statement: the rows read once from the log, inserted, and folded per bucket (an hour
     * and a day each) into the rollup by the same merge as {@link ObservationRollup#MERGE}. A page's positions are new to the view,
     * so the rows are inserted without the conflict check of the live path (a quarter of the insert's time); a
     * duplicate would fail the rebuild rather than pass unseen. Rows and rollup apart, in two transactions side by
     * side, took longer: each read and decoded the page again.
     */
    private static final String FROM_LOG_APPLIED = fromLogSql();

    private final EventCodec codec;

    public ObservationProjector(EventCodec codec) {
        this.codec = codec;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> viewTables() {
        return List.of("observation_view", "observation_rollup");
    }

    @Override
    public List<String> eventTypes() {
        return Event.names(ObservationRecorded.class);
    }

    @Override
    public boolean appliesInDatabase() {
        return true;
    }

    @Override
    public Uni<Void> applyInDatabase(SqlConnection tx, long after, long upTo) {
        return tx.preparedQuery(FROM_LOG_APPLIED).execute(Tuple.of(after, upTo)).replaceWithVoid();
    }

    @Override
    public Uni<Void> apply(SqlConnection tx, List<RecordedEvent> events) {
        Long[] positions = new Long[events.size()];
        List<Observation> observations = new ArrayList<>(events.size());
        ObservationRollup rollup = new ObservationRollup();
        for (int i = 0; i < events.size(); i++) {
            RecordedEvent event = events.get(i);
            Observation o = ((ObservationRecorded) codec.decode(event)).observation();
            positions[i] = event.position();
            observations.add(o);
            rollup.add(o);
        }
        // The page's rows in one statement (unnest); its observations folded per bucket first, and the buckets
        // merged in one statement too (each bucket once per page, so no row is updated twice by it).
        List<Object> columns = columns(positions, observations);
        return tx.preparedQuery(INSERT).execute(Tuple.tuple(columns))
                .chain(() -> tx.preparedQuery(ObservationRollup.MERGE).execute(rollup.parameters()))
                .replaceWithVoid();
    }

    /**
     * Observations as the columns of an {@code unnest}: positions, stations, observedAt (UTC), then one array per
     * metric in the order of {@link #ObservationRollup.METRICS} (the station view reads them the same way).
     */
    static List<Object> columns(Long[] positions, List<Observation> observations) {
        int n = observations.size();
        String[] stations = new String[n];
        OffsetDateTime[] times = new OffsetDateTime[n];
        Double[][] metrics = new Double[ObservationRollup.METRICS.size()][n];
        for (int i = 0; i < n; i++) {
            Observation o = observations.get(i);
            stations[i] = o.stationId();
            times[i] = ObservationRollup.utc(o.observedAt());
            List<Object> values = ObservationRollup.values(o);
            for (int m = 0; m < values.size(); m++) {
                metrics[m][i] = (Double) values.get(m);
            }
        }
        List<Object> columns = new ArrayList<>(List.of(positions, stations, times));
        columns.addAll(Arrays.asList((Object[]) metrics));
        return columns;
    }

    /**
     * {@link #FROM_LOG} inserted into the view and folded into the rollup, in one statement reading it once: per hour
     * first, then the page's days from its hours (half the rows and time-zone truncations of folding each
     * observation twice).
     */
    private static String fromLogSql() {
        List<String> hours = new ArrayList<>();
        List<String> hourColumns = new ArrayList<>();
        List<String> days = new ArrayList<>();
        for (String m : ObservationRollup.METRICS) {
            hours.addAll(List.of("min(o." + m + ") AS " + m + "_min", "max(o." + m + ") AS " + m + "_max",
                    "COALESCE(sum(o." + m + "), 0) AS " + m + "_sum", "count(o." + m + ") AS " + m + "_count"));
            hourColumns.addAll(List.of(m + "_min", m + "_max", m + "_sum", m + "_count"));
            days.addAll(List.of("min(" + m + "_min)", "max(" + m + "_max)", "sum(" + m + "_sum)",
                    "sum(" + m + "_count)::bigint"));
        }
        return "WITH o AS MATERIALIZED (" + FROM_LOG + "),"
                + " inserted AS (INSERT INTO observation_view (position, station_id, observed_at, temperature_c,"
                + " humidity_pct, wind_speed_ms, wind_gust_ms, pressure_hpa, precipitation_mm)"
                + " SELECT * FROM o),"
                + " hours AS (SELECT o.station_id, date_trunc('hour', o.observed_at, 'UTC') AS bucket, "
                + String.join(", ", hours) + " FROM o GROUP BY 1, 2) "
                + ObservationRollup.insert() + " SELECT station_id, 'hour', bucket, " + String.join(", ", hourColumns)
                + " FROM hours UNION ALL SELECT station_id, 'day', date_trunc('day', bucket, 'UTC'), "
                + String.join(", ", days) + " FROM hours GROUP BY 1, 3" + ObservationRollup.merge();
    }


}

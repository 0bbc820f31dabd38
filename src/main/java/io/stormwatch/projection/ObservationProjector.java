package io.stormwatch.projection;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    /** Column prefixes of the rollup table, in the order of {@link #values(Observation)}. */
    static final List<String> METRICS = List.of("t", "h", "w", "g", "p", "r");

    private static final String INSERT = """
            INSERT INTO observation_view (position, station_id, observed_at, temperature_c, humidity_pct,
                wind_speed_ms, wind_gust_ms, pressure_hpa, precipitation_mm)
            SELECT * FROM unnest($1::bigint[], $2::text[], $3::timestamptz[], $4::float8[], $5::float8[],
                $6::float8[], $7::float8[], $8::float8[], $9::float8[])
            ON CONFLICT (position) DO NOTHING""";

    /**
     * The columns station_id and observed_at of an observation's event row, as the statements of a rebuild read
     * them. The payload is the observation's fields; its time is written as {@code Instant.toString()} does, and
     * nanoseconds are cut to the microsecond as {@link #utc} cuts them (PostgreSQL would round them).
     */
    static final String STATION_AND_TIME = """
            payload->>'stationId' AS station_id,
                (CASE WHEN length(payload->>'observedAt') > 27 AND substr(payload->>'observedAt', 20, 1) = '.'
                    THEN left(payload->>'observedAt', 26) || 'Z'
                    ELSE payload->>'observedAt' END)::timestamptz AS observed_at""";

    /** Its measurements, in the order of {@link #METRICS}: t, h, w, g, p, r. */
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

    private static final String ROLLUP = rollupSql();

    /**
     * A rebuild's page in one statement: the rows read once from the log, inserted, and folded per bucket (an hour
     * and a day each) into the rollup by the same merge as {@link #ROLLUP}. A page's positions are new to the view,
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
        Map<String, Bucket> buckets = new LinkedHashMap<>();
        for (int i = 0; i < events.size(); i++) {
            RecordedEvent event = events.get(i);
            Observation o = ((ObservationRecorded) codec.decode(event)).observation();
            positions[i] = event.position();
            observations.add(o);
            fold(buckets, o, "hour", o.observedAt().truncatedTo(ChronoUnit.HOURS));
            fold(buckets, o, "day", o.observedAt().truncatedTo(ChronoUnit.DAYS));
        }
        // The page's rows in one statement (unnest); its observations folded per bucket first, and the buckets
        // merged in one statement too (each bucket once per page, so no row is updated twice by it).
        List<Object> columns = columns(positions, observations);
        return tx.preparedQuery(INSERT).execute(Tuple.tuple(columns))
                .chain(() -> tx.preparedQuery(ROLLUP).execute(rollupParameters(buckets.values())))
                .replaceWithVoid();
    }

    /**
     * Observations as the columns of an {@code unnest}: positions, stations, observedAt (UTC), then one array per
     * metric in the order of {@link #METRICS} (the station view reads them the same way).
     */
    static List<Object> columns(Long[] positions, List<Observation> observations) {
        int n = observations.size();
        String[] stations = new String[n];
        OffsetDateTime[] times = new OffsetDateTime[n];
        Double[][] metrics = new Double[METRICS.size()][n];
        for (int i = 0; i < n; i++) {
            Observation o = observations.get(i);
            stations[i] = o.stationId();
            times[i] = utc(o.observedAt());
            List<Object> values = values(o);
            for (int m = 0; m < values.size(); m++) {
                metrics[m][i] = (Double) values.get(m);
            }
        }
        List<Object> columns = new ArrayList<>(List.of(positions, stations, times));
        columns.addAll(Arrays.asList((Object[]) metrics));
        return columns;
    }

    private static void fold(Map<String, Bucket> buckets, Observation o, String resolution, Instant start) {
        buckets.computeIfAbsent(o.stationId() + '|' + resolution + '|' + start,
                k -> new Bucket(o.stationId(), resolution, start)).add(values(o));
    }

    /** Min, max, sum and count per metric of the observations of one bucket in one page. */
    private static final class Bucket {
        final String stationId;
        final String resolution;
        final Instant start;
        final Double[] min = new Double[METRICS.size()];
        final Double[] max = new Double[METRICS.size()];
        final double[] sum = new double[METRICS.size()];
        final long[] count = new long[METRICS.size()];

        Bucket(String stationId, String resolution, Instant start) {
            this.stationId = stationId;
            this.resolution = resolution;
            this.start = start;
        }

        void add(List<Object> values) {
            for (int m = 0; m < values.size(); m++) {
                if (values.get(m) instanceof Double v) {
                    min[m] = min[m] == null ? v : Math.min(min[m], v);
                    max[m] = max[m] == null ? v : Math.max(max[m], v);
                    sum[m] += v;
                    count[m]++;
                }
            }
        }

    }

    /** One array per column of the rollup statement: stations, resolutions, starts, then per metric its four. */
    private static Tuple rollupParameters(Collection<Bucket> buckets) {
        int n = buckets.size();
        String[] stations = new String[n];
        String[] resolutions = new String[n];
        OffsetDateTime[] starts = new OffsetDateTime[n];
        Object[][] aggregates = new Object[4 * METRICS.size()][];
        for (int m = 0; m < METRICS.size(); m++) {
            aggregates[4 * m] = new Double[n];
            aggregates[4 * m + 1] = new Double[n];
            aggregates[4 * m + 2] = new Double[n];
            aggregates[4 * m + 3] = new Long[n];
        }
        int i = 0;
        for (Bucket b : buckets) {
            stations[i] = b.stationId;
            resolutions[i] = b.resolution;
            starts[i] = utc(b.start);
            for (int m = 0; m < METRICS.size(); m++) {
                aggregates[4 * m][i] = b.min[m];
                aggregates[4 * m + 1][i] = b.max[m];
                aggregates[4 * m + 2][i] = b.sum[m];
                aggregates[4 * m + 3][i] = b.count[m];
            }
            i++;
        }
        List<Object> columns = new ArrayList<>(List.of(stations, resolutions, starts));
        columns.addAll(Arrays.asList(aggregates));
        return Tuple.tuple(columns);
    }

    private static List<Object> values(Observation o) {
        return Arrays.asList(o.temperatureC(), o.humidityPct(), o.windSpeedMs(), o.windGustMs(), o.pressureHpa(),
                o.precipitationMm());
    }

    /** At PostgreSQL's resolution, cut as {@link #FROM_LOG} cuts it (the driver would cut toward 2000-01-01). */
    private static OffsetDateTime utc(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
    }

    /**
     * The page's buckets (one array per column: $1 stations, $2 resolutions, $3 starts, then min, max, sum and
     * count per metric) merged into the stored ones.
     */
    private static String rollupSql() {
        List<String> arrays = new ArrayList<>(List.of("$1::text[]", "$2::text[]", "$3::timestamptz[]"));
        int parameter = 4;
        for (int m = 0; m < METRICS.size(); m++) {
            arrays.addAll(List.of("$" + parameter++ + "::float8[]", "$" + parameter++ + "::float8[]",
                    "$" + parameter++ + "::float8[]", "$" + parameter++ + "::bigint[]"));
        }
        return rollupInsert() + " SELECT * FROM unnest(" + String.join(", ", arrays) + ")" + rollupMerge();
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
        for (String m : METRICS) {
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
                + rollupInsert() + " SELECT station_id, 'hour', bucket, " + String.join(", ", hourColumns)
                + " FROM hours UNION ALL SELECT station_id, 'day', date_trunc('day', bucket, 'UTC'), "
                + String.join(", ", days) + " FROM hours GROUP BY 1, 3" + rollupMerge();
    }

    private static String rollupInsert() {
        List<String> columns = new ArrayList<>();
        for (String m : METRICS) {
            columns.addAll(List.of(m + "_min", m + "_max", m + "_sum", m + "_count"));
        }
        return "INSERT INTO observation_rollup AS r (station_id, resolution, bucket_start, "
                + String.join(", ", columns) + ")";
    }

    /** A bucket already stored takes the least minimum, the greatest maximum, and the sums of sums and counts. */
    private static String rollupMerge() {
        List<String> updates = new ArrayList<>();
        for (String m : METRICS) {
            updates.addAll(List.of(m + "_min = LEAST(r." + m + "_min, EXCLUDED." + m + "_min)",
                    m + "_max = GREATEST(r." + m + "_max, EXCLUDED." + m + "_max)",
                    m + "_sum = r." + m + "_sum + EXCLUDED." + m + "_sum",
                    m + "_count = r." + m + "_count + EXCLUDED." + m + "_count"));
        }
        return " ON CONFLICT (station_id, resolution, bucket_start) DO UPDATE SET " + String.join(", ", updates);
    }
}

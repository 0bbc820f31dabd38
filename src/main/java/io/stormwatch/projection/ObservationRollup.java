package io.stormwatch.projection;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.stormwatch.api.Observation;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The hour and day rollups of one page of observations: min, max, sum and count per metric and bucket, folded in
 * memory and merged into {@code observation_rollup} in one statement ({@link #MERGE}), each bucket once per page so
 * that no row is updated twice by it.
 */
final class ObservationRollup {

    /** Column prefixes of the rollup table, in the order of {@link #values(Observation)}. */
    static final List<String> METRICS = List.of("t", "h", "w", "g", "p", "r");

    /** The page's buckets, as {@link #parameters()} gives them, merged into the stored ones. */
    static final String MERGE = mergeSql();

    private final Map<String, Bucket> buckets = new LinkedHashMap<>();

    /** Folds an observation into its hour and its day. */
    void add(Observation o) {
        fold(o, "hour", o.observedAt().truncatedTo(ChronoUnit.HOURS));
        fold(o, "day", o.observedAt().truncatedTo(ChronoUnit.DAYS));
    }

    private void fold(Observation o, String resolution, Instant start) {
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
    Tuple parameters() {
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
        for (Bucket b : buckets.values()) {
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

    /** An observation's measurements, in the order of {@link #METRICS}. */
    static List<Object> values(Observation o) {
        return Arrays.asList(o.temperatureC(), o.humidityPct(), o.windSpeedMs(), o.windGustMs(), o.pressureHpa(),
                o.precipitationMm());
    }

    /** At PostgreSQL's resolution, cut as {@link ObservationProjector#FROM_LOG} cuts it (the driver would cut toward 2000-01-01). */
    static OffsetDateTime utc(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
    }

    /**
     * The page's buckets (one array per column: $1 stations, $2 resolutions, $3 starts, then min, max, sum and
     * count per metric) merged into the stored ones.
     */
    private static String mergeSql() {
        List<String> arrays = new ArrayList<>(List.of("$1::text[]", "$2::text[]", "$3::timestamptz[]"));
        int parameter = 4;
        for (int m = 0; m < METRICS.size(); m++) {
            arrays.addAll(List.of("$" + parameter++ + "::float8[]", "$" + parameter++ + "::float8[]",
                    "$" + parameter++ + "::float8[]", "$" + parameter++ + "::bigint[]"));
        }
        return insert() + " SELECT * FROM unnest(" + String.join(", ", arrays) + ")" + merge();
    }

    static String insert() {
        List<String> columns = new ArrayList<>();
        for (String m : METRICS) {
            columns.addAll(List.of(m + "_min", m + "_max", m + "_sum", m + "_count"));
        }
        return "INSERT INTO observation_rollup AS r (station_id, resolution, bucket_start, "
                + String.join(", ", columns) + ")";
    }

    /** A bucket already stored takes the least minimum, the greatest maximum, and the sums of sums and counts. */
    static String merge() {
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

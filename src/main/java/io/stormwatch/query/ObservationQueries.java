package io.stormwatch.query;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** A station's observations in a time range: as recorded, or folded into hour or day buckets. */
@Singleton
public class ObservationQueries {

    /** One observation; its position orders observations with the same time. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Raw(long position, Instant observedAt, Double temperatureC, Double humidityPct, Double windSpeedMs,
            Double windGustMs, Double pressureHpa, Double precipitationMm) {
    }

    /** One bucket: per metric, min, max, mean and count (metrics with no values are left out). */
    public record Bucket(Instant start, Instant end, Map<String, Stats> metrics) {
    }

    public record Stats(double min, double max, double mean, long count) {
    }

    static final List<String> METRIC_NAMES = List.of("temperatureC", "humidityPct", "windSpeedMs", "windGustMs",
            "pressureHpa", "precipitationMm");
    private static final List<String> PREFIXES = List.of("t", "h", "w", "g", "p", "r");

    private static final String RAW = """
            SELECT position, observed_at, temperature_c, humidity_pct, wind_speed_ms, wind_gust_ms, pressure_hpa,
                precipitation_mm
            FROM observation_view
            WHERE station_id = $1 AND observed_at >= $2 AND observed_at < $3
              AND (observed_at, position) > ($4, $5)
            ORDER BY observed_at, position
            LIMIT $6""";

    private static final String BUCKETS = "SELECT bucket_start, " + String.join(", ", PREFIXES.stream()
            .map(p -> p + "_min, " + p + "_max, " + p + "_sum, " + p + "_count").toList()) + """

            FROM observation_rollup
            WHERE station_id = $1 AND resolution = $2 AND bucket_start >= $3 AND bucket_start < $4
              AND bucket_start > $5
            ORDER BY bucket_start
            LIMIT $6""";

    private final Pool pool;

    public ObservationQueries(Pool pool) {
        this.pool = pool;
    }

    /** Observations in [from, to), after the (observedAt, position) of {@code cursor}, one more than asked. */
    public Uni<Page<Raw>> raw(String stationId, Instant from, Instant to, String cursor, int limit) {
        Instant afterTime = Instant.EPOCH;
        long afterPosition = 0;
        if (cursor != null) {
            String[] parts = Cursors.decode("r", cursor).split("@");
            try {
                afterTime = Instant.parse(parts[0]);
                afterPosition = Long.parseLong(parts[1]);
            } catch (RuntimeException e) {
                throw QueryException.invalid("cursor is not one this service gave out");
            }
        }
        return pool.preparedQuery(RAW).execute(Tuple.from(List.of(stationId, utc(from), utc(to), utc(afterTime),
                afterPosition, limit + 1))).map(rows -> {
                    List<Raw> items = new ArrayList<>();
                    for (Row r : rows) {
                        items.add(new Raw(r.getLong(0), r.getOffsetDateTime(1).toInstant(), r.getDouble(2),
                                r.getDouble(3), r.getDouble(4), r.getDouble(5), r.getDouble(6), r.getDouble(7)));
                    }
                    if (items.size() <= limit) {
                        return new Page<>(items, null);
                    }
                    Raw last = items.get(limit - 1);
                    return new Page<>(items.subList(0, limit), Cursors.encode("r", last.observedAt() + "@"
                            + last.position()));
                });
    }

    /** Buckets of {@code resolution} (hour or day) starting in [from, to). */
    public Uni<Page<Bucket>> buckets(String stationId, String resolution, Instant from, Instant to, String cursor,
            int limit) {
        Instant after = cursor == null ? Instant.EPOCH : parse(Cursors.decode(resolution, cursor));
        long length = resolution.equals("hour") ? 3600 : 86400;
        return pool.preparedQuery(BUCKETS).execute(Tuple.from(List.of(stationId, resolution, utc(from), utc(to),
                utc(after), limit + 1))).map(rows -> {
                    List<Bucket> items = new ArrayList<>();
                    for (Row r : rows) {
                        Instant start = r.getOffsetDateTime(0).toInstant();
                        Map<String, Stats> metrics = new LinkedHashMap<>();
                        for (int m = 0; m < PREFIXES.size(); m++) {
                            int c = 1 + m * 4;
                            long count = r.getLong(c + 3);
                            if (count > 0) {
                                metrics.put(METRIC_NAMES.get(m), new Stats(r.getDouble(c), r.getDouble(c + 1),
                                        r.getDouble(c + 2) / count, count));
                            }
                        }
                        items.add(new Bucket(start, start.plusSeconds(length), metrics));
                    }
                    if (items.size() <= limit) {
                        return new Page<>(items, null);
                    }
                    return new Page<>(items.subList(0, limit), Cursors.encode(resolution,
                            items.get(limit - 1).start().toString()));
                });
    }

    private static Instant parse(String instant) {
        try {
            return Instant.parse(instant);
        } catch (RuntimeException e) {
            throw QueryException.invalid("cursor is not one this service gave out");
        }
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}

package io.stormwatch.query;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Singleton;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Sort;
import io.quarkus.reactive.datasource.ReactiveDataSource;
import io.smallrye.mutiny.Uni;
import io.stormwatch.projection.StationView;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Reads of the station view, shared by every transport. Sorting takes only the allowlisted fields below. One
 * station, the hottest read, is one prepared statement on the pool: a Hibernate Reactive session per request
 * cost about a third of its throughput (docs/benchmarks.md). That pool is {@value #LOOKUPS}, whose connections keep
 * a statement's generic plan: a probe of the primary key, whatever the table holds.
 */
@Singleton
public class StationQueries {

    /** The datasource of keyed reads (application.properties). */
    public static final String LOOKUPS = "lookups";

    static final String GET = """
            SELECT station_id, name, latitude, longitude, elevation_m, observation_count, latest_observed_at,
                latest_temperature_c, latest_humidity_pct, latest_wind_speed_ms, latest_wind_gust_ms,
                latest_pressure_hpa, latest_precipitation_mm
            FROM station_view WHERE station_id = $1""";

    /** Sort keys a client may give, and the entity field each one sorts by. */
    static final Map<String, String> SORTABLE = Map.of("stationId", "stationId", "name", "name",
            "observationCount", "observationCount", "latestObservedAt", "latestObservedAt");

    /** A page of stations in {@code sort} order ("name", "-observationCount", ...), from {@code offset}. */
    @WithSession
    public Uni<List<StationSummary>> list(String sort, int offset, int limit) {
        boolean descending = sort.startsWith("-");
        String field = SORTABLE.get(descending ? sort.substring(1) : sort);
        Sort order = Sort.by(field, descending ? Sort.Direction.Descending : Sort.Direction.Ascending,
                Sort.NullPrecedence.NULLS_LAST).and("stationId");
        return StationView.<StationView>findAll(order).range(offset, offset + limit - 1).list()
                .map(views -> views.stream().map(StationQueries::summary).toList());
    }

    private final Pool pool;

    public StationQueries(@ReactiveDataSource(LOOKUPS) Pool pool) {
        this.pool = pool;
    }

    public Uni<Optional<StationDetails>> get(String stationId) {
        return pool.preparedQuery(GET).execute(Tuple.of(stationId)).map(rows -> {
            var it = rows.iterator();
            return it.hasNext() ? Optional.of(details(it.next())) : Optional.empty();
        });
    }

    private static StationSummary summary(StationView v) {
        return new StationSummary(v.stationId, v.name, v.latitude, v.longitude, v.elevationM, v.observationCount,
                v.latestObservedAt);
    }

    private static StationDetails details(Row r) {
        OffsetDateTime observedAt = r.getOffsetDateTime("latest_observed_at");
        StationDetails.Latest latest = observedAt == null ? null
                : new StationDetails.Latest(observedAt.toInstant(), r.getDouble("latest_temperature_c"),
                        r.getDouble("latest_humidity_pct"), r.getDouble("latest_wind_speed_ms"),
                        r.getDouble("latest_wind_gust_ms"), r.getDouble("latest_pressure_hpa"),
                        r.getDouble("latest_precipitation_mm"));
        return new StationDetails(r.getString("station_id"), r.getString("name"), r.getDouble("latitude"),
                r.getDouble("longitude"), r.getDouble("elevation_m"), r.getLong("observation_count"), latest);
    }
}

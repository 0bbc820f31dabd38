package io.stormwatch.query;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import io.stormwatch.projection.StationView;

/** Reads of the station view, shared by every transport. Sorting takes only the allowlisted fields below. */
@ApplicationScoped
public class StationQueries {

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

    @WithSession
    public Uni<Optional<StationDetails>> get(String stationId) {
        return StationView.<StationView>findById(stationId).map(view -> Optional.ofNullable(view).map(
                StationQueries::details));
    }

    private static StationSummary summary(StationView v) {
        return new StationSummary(v.stationId, v.name, v.latitude, v.longitude, v.elevationM, v.observationCount,
                v.latestObservedAt);
    }

    private static StationDetails details(StationView v) {
        StationDetails.Latest latest = v.latestObservedAt == null ? null
                : new StationDetails.Latest(v.latestObservedAt, v.latestTemperatureC, v.latestHumidityPct,
                        v.latestWindSpeedMs, v.latestWindGustMs, v.latestPressureHpa, v.latestPrecipitationMm);
        return new StationDetails(v.stationId, v.name, v.latitude, v.longitude, v.elevationM, v.observationCount,
                latest);
    }
}

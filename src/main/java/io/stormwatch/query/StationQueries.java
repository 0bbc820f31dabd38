package io.stormwatch.query;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import io.stormwatch.projection.StationView;

/** Reads of the station view, shared by every transport. */
@ApplicationScoped
public class StationQueries {

    @WithSession
    public Uni<List<StationSummary>> list(int limit) {
        return StationView.<StationView>findAll(Sort.by("stationId")).range(0, limit - 1).list()
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

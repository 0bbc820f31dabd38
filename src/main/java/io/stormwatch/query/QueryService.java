package io.stormwatch.query;

import jakarta.inject.Singleton;

import io.smallrye.mutiny.Uni;
import io.stormwatch.api.Query;
import io.stormwatch.api.Query.GetAlert;
import io.stormwatch.api.Query.GetObservations;
import io.stormwatch.api.Query.GetStation;
import io.stormwatch.api.Query.GetStats;
import io.stormwatch.api.Query.ListAlertRules;
import io.stormwatch.api.Query.ListAlerts;
import io.stormwatch.api.Query.ListStations;

/**
 * Answers every query, for every transport: HTTP resources and the AMQP query consumer both call
 * {@link #answer}, so that for the same read-model position they give the same result; {@link QueryParameters}
 * checks the parameters first.
 */
@Singleton
public class QueryService {

    private final ReadModel readModel;
    private final StationQueries stations;
    private final ObservationQueries observations;
    private final AlertQueries alerts;
    private final StatsQueries stats;

    public QueryService(ReadModel readModel, StationQueries stations, ObservationQueries observations,
            AlertQueries alerts, StatsQueries stats) {
        this.readModel = readModel;
        this.stations = stations;
        this.observations = observations;
        this.alerts = alerts;
        this.stats = stats;
    }

    /** The result, read at the position the read model had reached (at least {@code minPosition}). */
    public Uni<Answer> answer(Query query) {
        return Uni.createFrom().deferred(() -> {
            QueryParameters.check(query);
            return readModel.await(query.minPosition())
                    .chain(position -> run(query).map(result -> new Answer(position, result)));
        });
    }

    private Uni<?> run(Query query) {
        return switch (query) {
            case GetStation q -> stations.get(q.stationId()).map(found -> found.orElseThrow(
                    () -> QueryException.notFound("unknown station " + q.stationId())));
            case ListStations q -> listStations(q);
            case GetObservations q -> stations.get(q.stationId()).chain(found -> {
                if (found.isEmpty()) {
                    return Uni.createFrom().failure(QueryException.notFound("unknown station " + q.stationId()));
                }
                String resolution = q.resolution() == null ? "raw" : q.resolution();
                int limit = QueryParameters.limit(q.limit(), 500);
                return resolution.equals("raw")
                        ? observations.raw(q.stationId(), q.from(), q.to(), q.cursor(), limit)
                        : observations.buckets(q.stationId(), resolution, q.from(), q.to(), q.cursor(), limit);
            });
            case ListAlerts q -> alerts.list(new AlertQueries.Filter(q.state() == null || q.state().equals("all")
                    ? null : q.state(), q.stationId(), q.severity()), q.cursor(), QueryParameters.limit(q.limit(), 50));
            case GetAlert q -> alerts.get(q.alertId()).map(found -> found.orElseThrow(
                    () -> QueryException.notFound("unknown alert " + q.alertId())));
            case ListAlertRules q -> alerts.rules();
            case GetStats q -> stats.stats();
        };
    }

    private Uni<Page<StationSummary>> listStations(ListStations q) {
        String sort = q.sort() == null ? "stationId" : q.sort();
        int offset = 0;
        if (q.cursor() != null) {
            String[] parts = Cursors.decode("s", q.cursor()).split("\\|");
            if (parts.length != 2 || !parts[0].equals(sort)) {
                throw QueryException.invalid("cursor belongs to another sort order than '" + sort + "'");
            }
            try {
                offset = Integer.parseInt(parts[1]);
            } catch (NumberFormatException e) {
                throw QueryException.invalid("cursor is not one this service gave out");
            }
        }
        int limit = QueryParameters.limit(q.limit(), 100);
        int start = offset;
        return stations.list(sort, offset, limit + 1).map(items -> items.size() <= limit ? new Page<>(items, null)
                : new Page<>(items.subList(0, limit), Cursors.encode("s", sort + "|" + (start + limit))));
    }
}

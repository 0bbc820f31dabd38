package io.stormwatch.query;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

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
import io.stormwatch.domain.AlertRule;

/**
 * Answers every query, for every transport: HTTP resources and the AMQP query consumer both call
 * {@link #answer}, so that for the same read-model position they give the same result. Parameters are checked
 * here against allowlists, with errors that name the parameter.
 */
@Singleton
public class QueryService {

    public static final int MAX_LIMIT = 1000;
    private static final List<String> RESOLUTIONS = List.of("raw", "hour", "day");
    private static final List<String> STATES = List.of("active", "cleared", "all");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    /** The widest range one observation query may span. */
    private static final Duration MAX_RANGE = Duration.ofDays(366);

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
            check(query);
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
                int limit = limit(q.limit(), 500);
                return resolution.equals("raw")
                        ? observations.raw(q.stationId(), q.from(), q.to(), q.cursor(), limit)
                        : observations.buckets(q.stationId(), resolution, q.from(), q.to(), q.cursor(), limit);
            });
            case ListAlerts q -> alerts.list(new AlertQueries.Filter(q.state() == null || q.state().equals("all")
                    ? null : q.state(), q.stationId(), q.severity()), q.cursor(), limit(q.limit(), 50));
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
        int limit = limit(q.limit(), 100);
        int start = offset;
        return stations.list(sort, offset, limit + 1).map(items -> items.size() <= limit ? new Page<>(items, null)
                : new Page<>(items.subList(0, limit), Cursors.encode("s", sort + "|" + (start + limit))));
    }

    /** Every parameter against its allowlist or bounds, before anything is read. */
    private static void check(Query query) {
        if (query.minPosition() != null && query.minPosition() < 0) {
            throw QueryException.invalid("minPosition must not be negative");
        }
        switch (query) {
            case GetStation q -> id("stationId", q.stationId());
            case ListStations q -> {
                limit(q.limit(), 100);
                if (q.sort() != null && !StationQueries.SORTABLE.containsKey(q.sort().replaceFirst("^-", ""))) {
                    throw QueryException.invalid("sort must be one of stationId, name, observationCount,"
                            + " latestObservedAt (with '-' for descending), not '" + q.sort() + "'");
                }
            }
            case GetObservations q -> {
                id("stationId", q.stationId());
                required("from", q.from());
                required("to", q.to());
                if (!q.from().isBefore(q.to())) {
                    throw QueryException.invalid("from must be before to");
                }
                if (Duration.between(q.from(), q.to()).compareTo(MAX_RANGE) > 0) {
                    throw QueryException.invalid("from and to must be at most 366 days apart");
                }
                if (q.resolution() != null && !RESOLUTIONS.contains(q.resolution())) {
                    throw QueryException.invalid("resolution must be one of raw, hour, day, not '" + q.resolution()
                            + "'");
                }
                limit(q.limit(), 500);
            }
            case ListAlerts q -> {
                if (q.state() != null && !STATES.contains(q.state())) {
                    throw QueryException.invalid("state must be one of active, cleared, all, not '" + q.state() + "'");
                }
                if (q.severity() != null && !AlertRule.SEVERITIES.contains(q.severity())) {
                    throw QueryException.invalid("severity must be one of " + String.join(", ", AlertRule.SEVERITIES)
                            + ", not '" + q.severity() + "'");
                }
                if (q.stationId() != null) {
                    id("stationId", q.stationId());
                }
                limit(q.limit(), 50);
            }
            case GetAlert q -> id("alertId", q.alertId());
            case ListAlertRules q -> {
            }
            case GetStats q -> {
            }
        }
    }

    private static void id(String name, String value) {
        required(name, value);
        if (!ID.matcher(value).matches()) {
            throw QueryException.invalid(name + " must be 1-100 letters, digits, '.', '_' or '-'");
        }
    }

    private static void required(String name, Object value) {
        if (value == null) {
            throw QueryException.invalid(name + " is required");
        }
    }

    private static int limit(Integer limit, int defaultValue) {
        if (limit == null) {
            return defaultValue;
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw QueryException.invalid("limit must be an integer from 1 to " + MAX_LIMIT + ", not " + limit);
        }
        return limit;
    }
}

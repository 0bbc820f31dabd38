package io.stormwatch.query;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

import io.stormwatch.api.Query;
import io.stormwatch.api.Query.GetAlert;
import io.stormwatch.api.Query.GetObservations;
import io.stormwatch.api.Query.GetStation;
import io.stormwatch.api.Query.GetStats;
import io.stormwatch.api.Query.ListAlertRules;
import io.stormwatch.api.Query.ListAlerts;
import io.stormwatch.api.Query.ListStations;
import io.stormwatch.domain.AlertRule;

/** A query's parameters against their allowlists and bounds, with errors that name the parameter. */
final class QueryParameters {

    static final int MAX_LIMIT = 1000;
    private static final List<String> RESOLUTIONS = List.of("raw", "hour", "day");
    private static final List<String> STATES = List.of("active", "cleared", "all");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    /** The widest range one observation query may span. */
    private static final Duration MAX_RANGE = Duration.ofDays(366);

    private QueryParameters() {
    }

    /** Every parameter against its allowlist or bounds, before anything is read. */
    static void check(Query query) {
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

    static int limit(Integer limit, int defaultValue) {
        if (limit == null) {
            return defaultValue;
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw QueryException.invalid("limit must be an integer from 1 to " + MAX_LIMIT + ", not " + limit);
        }
        return limit;
    }
}

package io.stormwatch.api;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * The queries a client sends to {@code weather.queries} (with a reply-to), and that HTTP answers too. On the wire
 * each is a JSON object with a {@code type} field naming the record. Every query may carry {@code minPosition}:
 * the answer waits, within a bound, until the read model has reached that position (read-your-writes).
 */
public sealed interface Query {

    Long minPosition();

    static List<String> typeNames() {
        return Arrays.stream(Query.class.getPermittedSubclasses()).map(Class::getSimpleName).toList();
    }

    record GetStation(String stationId, Long minPosition) implements Query {
    }

    /** {@code sort}: stationId, name, observationCount or latestObservedAt, with a leading '-' for descending. */
    record ListStations(Integer limit, String cursor, String sort, Long minPosition) implements Query {
    }

    /** {@code resolution}: raw, hour or day; {@code from} inclusive, {@code to} exclusive. */
    record GetObservations(String stationId, Instant from, Instant to, String resolution, Integer limit,
            String cursor, Long minPosition) implements Query {
    }

    /** {@code state}: active, cleared or all. */
    record ListAlerts(String state, String stationId, String severity, Integer limit, String cursor,
            Long minPosition) implements Query {
    }

    record GetAlert(String alertId, Long minPosition) implements Query {
    }

    record ListAlertRules(Long minPosition) implements Query {
    }

    record GetStats(Long minPosition) implements Query {
    }
}

package io.stormwatch.projection;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import jakarta.inject.Singleton;

import io.smallrye.mutiny.Uni;
import io.stormwatch.api.Event;
import io.stormwatch.api.Event.ObservationRecorded;
import io.stormwatch.api.Event.StationRegistered;
import io.stormwatch.api.Observation;
import io.stormwatch.eventstore.EventCodec;
import io.stormwatch.eventstore.EventLog;
import io.stormwatch.eventstore.RecordedEvent;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Builds the station view. Its {@link Subscription} passes each event once, in order, in the transaction that
 * moves the checkpoint. Each row also remembers the last position applied to it and ignores anything at or below
 * it, so a replay from an earlier checkpoint changes nothing and a rebuild gives the same rows. A late observation
 * counts, but the latest stays the one with the newest observedAt.
 */
@Singleton
public class StationProjector implements EventHandler {

    public static final String NAME = "stations";

    private static final String REGISTERED = """
            INSERT INTO station_view (station_id, name, latitude, longitude, elevation_m, last_position)
            VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (station_id) DO UPDATE SET name = EXCLUDED.name, latitude = EXCLUDED.latitude,
                longitude = EXCLUDED.longitude, elevation_m = EXCLUDED.elevation_m,
                last_position = EXCLUDED.last_position
            WHERE station_view.last_position < EXCLUDED.last_position""";

    /** The observations of {@code o} after their station's last position. */
    private static final String FRESH = """
            fresh AS (
                SELECT o.* FROM o JOIN station_view s ON s.station_id = o.station_id
                WHERE o.position > s.last_position)""";

    /** Per station of {@code fresh}: its latest observation (%s: the columns kept), how many, and the last position. */
    private static final String LATEST = """
            SELECT DISTINCT ON (station_id) station_id, observed_at, %s,
                count(*) OVER (PARTITION BY station_id) AS n,
                max(position) OVER (PARTITION BY station_id) AS last_position
            FROM fresh ORDER BY station_id, observed_at DESC, position DESC""";

    /**
     * A run of observations, one array per column ({@link ObservationProjector#columns}), folded
     * into one update per station: only those after the row's last position count (a replay changes nothing), and
     * the latest becomes the newest observedAt among them, the later position on a tie, if it is not older than the
     * stored one: the same rows as applying them one by one.
     */
    private static final String OBSERVED = """
            WITH o AS (
                SELECT * FROM unnest($1::bigint[], $2::text[], $3::timestamptz[], $4::float8[], $5::float8[],
                        $6::float8[], $7::float8[], $8::float8[], $9::float8[])
                    AS o(position, station_id, observed_at, t, h, w, g, p, r)),
            %s,
            folded AS (%s)
            """.formatted(FRESH, LATEST.formatted("t, h, w, g, p, r")) + updateFromFolded();

    /**
     * The same over the observations at positions ($1, $2] read from the event table: their stations and times
     * only, and the measurements of each station's latest one (reading every observation's took half again as long).
     */
    private static final String OBSERVED_FROM_LOG = """
            WITH o AS (SELECT position, %s %s),
            %s,
            latest AS (%s),
            folded AS (
                SELECT l.*, m.* FROM latest l
                CROSS JOIN LATERAL (SELECT %s FROM event WHERE event.position = l.position) m)
            """.formatted(ObservationProjector.STATION_AND_TIME, ObservationProjector.IN_PAGE, FRESH,
            LATEST.formatted("position"), ObservationProjector.MEASUREMENTS) + updateFromFolded();

    /** Each station of {@code folded} (station_id, observed_at, t, h, w, g, p, r, n, last_position) updated. */
    private static String updateFromFolded() {
        return """
            UPDATE station_view s SET observation_count = s.observation_count + f.n, last_position = f.last_position,
                latest_temperature_c = CASE WHEN %1$s THEN f.t ELSE s.latest_temperature_c END,
                latest_humidity_pct = CASE WHEN %1$s THEN f.h ELSE s.latest_humidity_pct END,
                latest_wind_speed_ms = CASE WHEN %1$s THEN f.w ELSE s.latest_wind_speed_ms END,
                latest_wind_gust_ms = CASE WHEN %1$s THEN f.g ELSE s.latest_wind_gust_ms END,
                latest_pressure_hpa = CASE WHEN %1$s THEN f.p ELSE s.latest_pressure_hpa END,
                latest_precipitation_mm = CASE WHEN %1$s THEN f.r ELSE s.latest_precipitation_mm END,
                latest_observed_at = CASE WHEN %1$s THEN f.observed_at ELSE s.latest_observed_at END
            FROM folded f WHERE s.station_id = f.station_id"""
            .formatted("(s.latest_observed_at IS NULL OR f.observed_at >= s.latest_observed_at)");
    }

    private static final List<String> REGISTRATIONS = List.of(StationRegistered.class.getSimpleName());

    private final EventCodec codec;
    private final EventLog log;

    public StationProjector(EventCodec codec, EventLog log) {
        this.codec = codec;
        this.log = log;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> viewTables() {
        return List.of("station_view");
    }

    @Override
    public List<String> eventTypes() {
        return Event.names(StationRegistered.class, ObservationRecorded.class);
    }

    /** Registrations one by one, each run of observations between them as one statement. */
    @Override
    public Uni<Void> apply(SqlConnection tx, List<RecordedEvent> events) {
        List<Statement> statements = new ArrayList<>();
        List<Observation> run = new ArrayList<>();
        List<Long> runPositions = new ArrayList<>();
        for (RecordedEvent stored : events) {
            switch (codec.decode(stored)) {
                case StationRegistered r -> {
                    flush(statements, run, runPositions);
                    statements.add(registered(r, stored.position()));
                }
                case ObservationRecorded recorded -> {
                    run.add(recorded.observation());
                    runPositions.add(stored.position());
                }
                default -> {
                }
            }
        }
        flush(statements, run, runPositions);
        return EventHandler.inOrder(tx, statements);
    }

    @Override
    public boolean appliesInDatabase() {
        return true;
    }

    /**
     * The registrations of the stretch are read and applied one by one, as {@link #apply} does; the observations
     * between two of them in one statement that reads them from the event table.
     */
    @Override
    public Uni<Void> applyInDatabase(SqlConnection tx, long after, long upTo) {
        return log.between(tx, after, upTo, REGISTRATIONS).chain(registrations -> {
            List<Statement> statements = new ArrayList<>();
            long from = after;
            for (RecordedEvent registration : registrations) {
                long position = registration.position();
                if (position - 1 > from) {
                    statements.add(new Statement(OBSERVED_FROM_LOG, Tuple.of(from, position - 1)));
                }
                statements.add(registered((StationRegistered) codec.decode(registration), position));
                from = position;
            }
            if (upTo > from) {
                statements.add(new Statement(OBSERVED_FROM_LOG, Tuple.of(from, upTo)));
            }
            return EventHandler.inOrder(tx, statements);
        });
    }

    private static Statement registered(StationRegistered r, long position) {
        return new Statement(REGISTERED, Tuple.tuple(Arrays.asList(r.stationId(), r.name(), r.latitude(),
                r.longitude(), r.elevationM(), position)));
    }

    private static void flush(List<Statement> statements, List<Observation> run, List<Long> positions) {
        if (run.isEmpty()) {
            return;
        }
        List<Object> columns = ObservationProjector.columns(positions.toArray(Long[]::new), run);
        statements.add(new Statement(OBSERVED, Tuple.tuple(columns)));
        run.clear();
        positions.clear();
    }
}

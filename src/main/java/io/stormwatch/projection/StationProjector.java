package io.stormwatch.projection;

import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.stormwatch.api.Event;
import io.stormwatch.api.Event.ObservationRecorded;
import io.stormwatch.api.Event.StationRegistered;
import io.stormwatch.api.Observation;
import io.stormwatch.eventstore.EventCodec;
import io.stormwatch.eventstore.RecordedEvent;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Builds the station view. Its {@link Subscription} passes each event once, in order, in the transaction that
 * moves the checkpoint. Each row also remembers the last position applied to it and ignores anything at or below
 * it, so a replay from an earlier checkpoint changes nothing and a rebuild gives the same rows. A late observation
 * counts, but the latest stays the one with the newest observedAt.
 */
@ApplicationScoped
public class StationProjector implements EventHandler {

    public static final String NAME = "stations";

    private static final String REGISTERED = """
            INSERT INTO station_view (station_id, name, latitude, longitude, elevation_m, last_position)
            VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (station_id) DO UPDATE SET name = EXCLUDED.name, latitude = EXCLUDED.latitude,
                longitude = EXCLUDED.longitude, elevation_m = EXCLUDED.elevation_m,
                last_position = EXCLUDED.last_position
            WHERE station_view.last_position < EXCLUDED.last_position""";

    /** $3 is the observation's time: it replaces the latest values only if it is not older than them. */
    private static final String OBSERVED = """
            UPDATE station_view SET observation_count = observation_count + 1, last_position = $2,
                latest_temperature_c = CASE WHEN %1$s THEN $4 ELSE latest_temperature_c END,
                latest_humidity_pct = CASE WHEN %1$s THEN $5 ELSE latest_humidity_pct END,
                latest_wind_speed_ms = CASE WHEN %1$s THEN $6 ELSE latest_wind_speed_ms END,
                latest_wind_gust_ms = CASE WHEN %1$s THEN $7 ELSE latest_wind_gust_ms END,
                latest_pressure_hpa = CASE WHEN %1$s THEN $8 ELSE latest_pressure_hpa END,
                latest_precipitation_mm = CASE WHEN %1$s THEN $9 ELSE latest_precipitation_mm END,
                latest_observed_at = CASE WHEN %1$s THEN $3 ELSE latest_observed_at END
            WHERE station_id = $1 AND last_position < $2"""
            .formatted("(latest_observed_at IS NULL OR $3 >= latest_observed_at)");

    private final EventCodec codec;

    public StationProjector(EventCodec codec) {
        this.codec = codec;
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
        return List.of(StationRegistered.class.getSimpleName(), ObservationRecorded.class.getSimpleName());
    }

    @Override
    public Uni<Void> apply(SqlConnection tx, List<RecordedEvent> events) {
        List<Statement> statements = new ArrayList<>(events.size());
        for (RecordedEvent stored : events) {
            switch (codec.fromJson(stored.type(), stored.payload())) {
                case StationRegistered r -> statements.add(new Statement(REGISTERED, Tuple.tuple(Arrays.asList(
                        r.stationId(), r.name(), r.latitude(), r.longitude(), r.elevationM(), stored.position()))));
                case ObservationRecorded recorded -> statements.add(new Statement(OBSERVED,
                        observed(recorded.observation(), stored.position())));
                default -> {
                }
            }
        }
        return EventHandler.inOrder(tx, statements);
    }

    private static Tuple observed(Observation o, long position) {
        return Tuple.tuple(Arrays.asList(o.stationId(), position,
                o.observedAt().atOffset(ZoneOffset.UTC), o.temperatureC(), o.humidityPct(), o.windSpeedMs(),
                o.windGustMs(), o.pressureHpa(), o.precipitationMm()));
    }
}

package io.stormwatch.projection;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** The read model of one station: its details, its observation count and its latest observation. */
@Entity
@Table(name = "station_view")
public class StationView extends PanacheEntityBase {

    @Id
    @Column(name = "station_id")
    public String stationId;

    public String name;
    public double latitude;
    public double longitude;
    @Column(name = "elevation_m")
    public Double elevationM;

    @Column(name = "observation_count")
    public long observationCount;

    @Column(name = "latest_observed_at")
    public Instant latestObservedAt;
    @Column(name = "latest_temperature_c")
    public Double latestTemperatureC;
    @Column(name = "latest_humidity_pct")
    public Double latestHumidityPct;
    @Column(name = "latest_wind_speed_ms")
    public Double latestWindSpeedMs;
    @Column(name = "latest_wind_gust_ms")
    public Double latestWindGustMs;
    @Column(name = "latest_pressure_hpa")
    public Double latestPressureHpa;
    @Column(name = "latest_precipitation_mm")
    public Double latestPrecipitationMm;

    /** Position of the last event applied to this row. */
    @Column(name = "last_position")
    public long lastPosition;
}

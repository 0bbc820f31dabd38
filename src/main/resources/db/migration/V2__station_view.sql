-- Read model: derived from the event store and rebuildable from it at any time.
CREATE TABLE projection_checkpoint (
    name       text        PRIMARY KEY,
    position   bigint      NOT NULL DEFAULT 0,
    updated_at timestamptz
);

INSERT INTO projection_checkpoint (name, position) VALUES ('stations', 0);

CREATE TABLE station_view (
    station_id              text             PRIMARY KEY,
    name                    text             NOT NULL,
    latitude                double precision NOT NULL,
    longitude               double precision NOT NULL,
    elevation_m             double precision,
    observation_count       bigint           NOT NULL DEFAULT 0,
    latest_observed_at      timestamptz,
    latest_temperature_c    double precision,
    latest_humidity_pct     double precision,
    latest_wind_speed_ms    double precision,
    latest_wind_gust_ms     double precision,
    latest_pressure_hpa     double precision,
    latest_precipitation_mm double precision,
    last_position           bigint           NOT NULL
);

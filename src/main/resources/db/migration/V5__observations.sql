-- Observations for queries: the raw rows, and hour and day buckets per station kept as observations arrive (an
-- observation that arrives late still lands in the bucket of its own observedAt). Derived; rebuildable.
INSERT INTO projection_checkpoint (name, position) VALUES ('observations', 0);

CREATE TABLE observation_view (
    position        bigint           PRIMARY KEY,
    station_id      text             NOT NULL,
    observed_at     timestamptz      NOT NULL,
    temperature_c   double precision NOT NULL,
    humidity_pct    double precision NOT NULL,
    wind_speed_ms   double precision NOT NULL,
    wind_gust_ms    double precision,
    pressure_hpa    double precision,
    precipitation_mm double precision
);

CREATE INDEX observation_view_station_time ON observation_view (station_id, observed_at, position);

-- Per bucket and metric: min, max, sum and count (the mean is sum / count; count skips missing optional values).
CREATE TABLE observation_rollup (
    station_id   text             NOT NULL,
    resolution   text             NOT NULL CHECK (resolution IN ('hour', 'day')),
    bucket_start timestamptz      NOT NULL,
    t_min double precision, t_max double precision, t_sum double precision NOT NULL DEFAULT 0, t_count bigint NOT NULL DEFAULT 0,
    h_min double precision, h_max double precision, h_sum double precision NOT NULL DEFAULT 0, h_count bigint NOT NULL DEFAULT 0,
    w_min double precision, w_max double precision, w_sum double precision NOT NULL DEFAULT 0, w_count bigint NOT NULL DEFAULT 0,
    g_min double precision, g_max double precision, g_sum double precision NOT NULL DEFAULT 0, g_count bigint NOT NULL DEFAULT 0,
    p_min double precision, p_max double precision, p_sum double precision NOT NULL DEFAULT 0, p_count bigint NOT NULL DEFAULT 0,
    r_min double precision, r_max double precision, r_sum double precision NOT NULL DEFAULT 0, r_count bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (station_id, resolution, bucket_start)
);

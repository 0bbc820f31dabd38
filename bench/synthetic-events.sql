-- Appends :count ObservationRecorded events for the stations already in the store, straight into the event table,
-- with the same shape the service writes: contiguous positions after the head, each station's stream versions
-- going on from its last. Run only while the service is stopped (it takes no append lock). Used by bench/run.sh
-- to give the rebuild and the large-store runs their events without waiting for the ingest path. Event ids are
-- UUID version 7 like the service's (EventIds): the time of the observation in milliseconds, then random bits, so
-- that the unique index on event_id is filled in order as the service fills it, not at random pages.
\set ON_ERROR_STOP on
BEGIN;
CREATE TEMP TABLE bench_station ON COMMIT DROP AS
    SELECT stream_id, substr(stream_id, 9) AS station_id, max(stream_version) AS version,
           row_number() OVER (ORDER BY stream_id) - 1 AS i
    FROM event WHERE stream_id LIKE 'station-%' GROUP BY stream_id;
INSERT INTO event (position, event_id, stream_id, stream_version, type, payload, metadata, recorded_at)
SELECT head.h + g,
       encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid())
                                      placing substring(int8send((extract(epoch FROM t.at) * 1000)::bigint) FROM 3)
                                      FROM 1 FOR 6), 52, 1), 53, 1), 'hex')::uuid,
       s.stream_id, s.version + (g - 1) / c.n + 1, 'ObservationRecorded',
       jsonb_build_object('stationId', s.station_id,
                          'observedAt', to_char(t.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                          'temperatureC', round((random() * 30)::numeric, 1), 'humidityPct', 71.5,
                          'windSpeedMs', 3.2, 'windGustMs', 5.1, 'pressureHpa', 1011.2, 'precipitationMm', 0.0),
       '{"source": "bench:synthetic"}'::jsonb, now()
FROM (SELECT coalesce(max(position), 0) AS h FROM event) head,
     (SELECT count(*) AS n FROM bench_station) c,
     generate_series(1, :count) g
     CROSS JOIN LATERAL (SELECT now() - make_interval(secs => (:count - g) / 10.0) AS at) t,
     bench_station s
WHERE s.i = (g - 1) % c.n
-- In position order, as the service appends: a plan that went station by station put consecutive positions on
-- different pages (a correlation of 0.01), and a rebuild reading in position order took a quarter longer.
ORDER BY g;
COMMIT;

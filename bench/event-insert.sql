-- pgbench script for the raw database baseline: 100 rows shaped like the service's event table (the same DDL, in
-- schema raw) per transaction, with the service's synchronous_commit (on). Positions come from a sequence here,
-- which is cheaper than the service's append lock: the baseline is the database's, not a rival design.
INSERT INTO raw.event (position, event_id, stream_id, stream_version, type, payload, metadata)
SELECT p, gen_random_uuid(), 'station-RAW-' || (p % 100), p, 'ObservationRecorded',
       jsonb_build_object('stationId', 'RAW-' || (p % 100), 'observedAt', now(), 'temperatureC', 12.3,
                          'humidityPct', 81.5, 'windSpeedMs', 4.2, 'windGustMs', 7.9, 'pressureHpa', 1009.8,
                          'precipitationMm', 0.4),
       jsonb_build_object('commandId', gen_random_uuid(), 'correlationId', gen_random_uuid(),
                          'causationId', gen_random_uuid(), 'source', 'amqp:weather.commands')
FROM (SELECT nextval('raw.position_seq') AS p FROM generate_series(1, 100)) s;

-- The event store: the source of truth. Positions are assigned by the appender under an advisory lock, so they
-- are contiguous and committed in order (see EventStore); no sequence is involved.
CREATE TABLE event (
    position       bigint      PRIMARY KEY,
    event_id       uuid        NOT NULL UNIQUE,
    stream_id      text        NOT NULL,
    stream_version bigint      NOT NULL,
    type           text        NOT NULL,
    payload        jsonb       NOT NULL,
    metadata       jsonb       NOT NULL,
    recorded_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT event_stream_version UNIQUE (stream_id, stream_version),
    CONSTRAINT event_position_positive CHECK (position > 0),
    CONSTRAINT event_version_positive CHECK (stream_version > 0)
);

-- The write side decides station commands from the latest registration, whatever the stream's length.
CREATE INDEX event_station_registered ON event (stream_id, stream_version) WHERE type = 'StationRegistered';

-- The first outcome of each command, by idempotency key (commandId, else the AMQP message-id).
CREATE TABLE processed_command (
    command_id   text        PRIMARY KEY,
    status       text        NOT NULL CHECK (status IN ('accepted', 'rejected')),
    position     bigint,
    error        text,
    processed_at timestamptz NOT NULL DEFAULT now()
);

-- Messages that could not be processed, with their reason and raw body.
CREATE TABLE dead_letter (
    id           bigserial   PRIMARY KEY,
    source       text        NOT NULL,
    message_id   text,
    command_id   text,
    reason       text        NOT NULL,
    content_type text,
    body         text,
    received_at  timestamptz NOT NULL DEFAULT now()
);

-- Publication: the event table is the outbox. One row per published stream (an AMQP address) holds how far it
-- has been sent and acknowledged by the broker, and which replica holds the lease to send it.
CREATE TABLE publication (
    name             text        PRIMARY KEY,
    position         bigint      NOT NULL DEFAULT 0,
    owner            text,
    lease_expires_at timestamptz,
    updated_at       timestamptz
);

INSERT INTO publication (name) VALUES ('events');

-- Filters of the event log (GET /api/events, the SSE stream) by type, after a position.
CREATE INDEX event_type_position ON event (type, position);
CREATE INDEX event_stream_position ON event (stream_id, position);

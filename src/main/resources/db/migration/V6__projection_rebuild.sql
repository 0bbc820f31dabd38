-- Rebuilds of a projection beside its live tables (see projection/ProjectionRebuilds). The row is also the claim:
-- one rebuild of a projection at a time across replicas, taken over when its owner stops updating it.
CREATE TABLE projection_rebuild (
    name        text        PRIMARY KEY,
    state       text        NOT NULL CHECK (state IN ('running', 'done', 'failed')),
    position    bigint      NOT NULL DEFAULT 0,
    target      bigint      NOT NULL DEFAULT 0,
    started_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    finished_at timestamptz,
    error       text
);

-- Alerting. The evaluator's own tables (rules and per-(station, rule) state) are written in the transaction that
-- moves its checkpoint and appends its alert events, so they always agree with the log; they are derived from it.
INSERT INTO projection_checkpoint (name, position) VALUES ('alert-evaluator', 0), ('alerts', 0);
INSERT INTO publication (name) VALUES ('alerts');

CREATE TABLE alert_rule (
    rule_id          text        PRIMARY KEY,
    definition       jsonb       NOT NULL,
    defined_position bigint      NOT NULL
);

CREATE TABLE alert_state (
    station_id         text             NOT NULL,
    rule_id            text             NOT NULL,
    condition_since    timestamptz,
    active_alert_id    text,
    active_info        jsonb,
    last_observed_at   timestamptz,
    last_value         double precision,
    issued_observed_at timestamptz,
    -- The durable deadline of the active alert (CAP expires): re-issued or cleared when it passes.
    expires_at         timestamptz,
    PRIMARY KEY (station_id, rule_id)
);

CREATE INDEX alert_state_expiry ON alert_state (expires_at) WHERE active_alert_id IS NOT NULL;
CREATE INDEX alert_state_rule ON alert_state (rule_id) WHERE active_alert_id IS NOT NULL;

-- Read model of alerts, newest first.
CREATE TABLE alert_view (
    alert_id             text             PRIMARY KEY,
    station_id           text             NOT NULL,
    rule_id              text             NOT NULL,
    event                text             NOT NULL,
    severity             text             NOT NULL,
    urgency              text             NOT NULL,
    metric               text             NOT NULL,
    operator             text             NOT NULL,
    threshold            double precision NOT NULL,
    clear_threshold      double precision NOT NULL,
    value                double precision NOT NULL,
    onset                timestamptz      NOT NULL,
    expires              timestamptz      NOT NULL,
    state                text             NOT NULL CHECK (state IN ('active', 'cleared')),
    raised_at            timestamptz      NOT NULL,
    raised_position      bigint           NOT NULL,
    updated_at           timestamptz,
    cleared_at           timestamptz,
    clear_reason         text,
    acknowledged_by      text,
    acknowledged_at      timestamptz,
    acknowledgement_note text,
    last_position        bigint           NOT NULL
);

CREATE INDEX alert_view_newest ON alert_view (raised_position DESC);
CREATE INDEX alert_view_station ON alert_view (station_id, raised_position DESC);

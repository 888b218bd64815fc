-- Durable workflows (ARCHITECTURE "Workflows"): a run is an ordered list of steps; db-scheduler runs one
-- one-time task per step, and a step's result is committed together with the scheduling of the next.
CREATE TABLE workflow_run (
    id               UUID PRIMARY KEY,
    type             VARCHAR(50)  NOT NULL,
    tenant_id        UUID,
    state            VARCHAR(20)  NOT NULL,
    step_index       INTEGER      NOT NULL DEFAULT 0,
    current_step     VARCHAR(100),
    compensating     BOOLEAN      NOT NULL DEFAULT FALSE,
    admitted         BOOLEAN      NOT NULL DEFAULT FALSE,
    resources        TEXT         NOT NULL DEFAULT '',
    params           TEXT         NOT NULL,
    outputs          TEXT         NOT NULL DEFAULT '{}',
    bytes_done       BIGINT       NOT NULL DEFAULT 0,
    bytes_total      BIGINT       NOT NULL DEFAULT 0,
    rate_bps         BIGINT,
    eta_seconds      BIGINT,
    error            TEXT,
    error_type       VARCHAR(100),
    cancel_requested BOOLEAN      NOT NULL DEFAULT FALSE,
    created_at       TIMESTAMPTZ  NOT NULL,
    started_at       TIMESTAMPTZ,
    ended_at         TIMESTAMPTZ,
    updated_at       TIMESTAMPTZ  NOT NULL
);
CREATE INDEX workflow_run_state_idx ON workflow_run (state, created_at);

CREATE TABLE workflow_step (
    run_id      UUID         NOT NULL REFERENCES workflow_run (id) ON DELETE CASCADE,
    idx         INTEGER      NOT NULL,
    name        VARCHAR(100) NOT NULL,
    state       VARCHAR(20)  NOT NULL,
    attempts    INTEGER      NOT NULL DEFAULT 0,
    polls       INTEGER      NOT NULL DEFAULT 0,
    result      TEXT,
    error       TEXT,
    started_at  TIMESTAMPTZ,
    progress_at TIMESTAMPTZ,
    ended_at    TIMESTAMPTZ,
    PRIMARY KEY (run_id, idx)
);

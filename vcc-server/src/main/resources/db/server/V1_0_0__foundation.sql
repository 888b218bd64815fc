CREATE TABLE tenant (
    id           UUID PRIMARY KEY,
    name         VARCHAR(63)  NOT NULL UNIQUE,
    display_name VARCHAR(200) NOT NULL,
    created_at   TIMESTAMPTZ  NOT NULL
);

CREATE TABLE app_user (
    id            UUID PRIMARY KEY,
    username      VARCHAR(63)  NOT NULL UNIQUE,
    password_hash VARCHAR(200) NOT NULL,
    role          VARCHAR(20)  NOT NULL,
    tenant_id     UUID REFERENCES tenant (id),
    created_at    TIMESTAMPTZ  NOT NULL,
    CHECK ((role = 'ADMIN') = (tenant_id IS NULL))
);

CREATE TABLE api_token (
    id         UUID PRIMARY KEY,
    user_id    UUID         NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    name       VARCHAR(100) NOT NULL,
    token_hash VARCHAR(64)  NOT NULL UNIQUE,
    created_at TIMESTAMPTZ  NOT NULL,
    expires_at TIMESTAMPTZ,
    revoked_at TIMESTAMPTZ
);

CREATE TABLE cloud (
    id           UUID PRIMARY KEY,
    name         VARCHAR(63)  NOT NULL UNIQUE,
    type         VARCHAR(20)  NOT NULL,
    url          VARCHAR(500),
    multi_tenant BOOLEAN      NOT NULL,
    created_at   TIMESTAMPTZ  NOT NULL
);

CREATE TABLE node (
    id                UUID PRIMARY KEY,
    name              VARCHAR(63)  NOT NULL UNIQUE,
    kind              VARCHAR(20)  NOT NULL,
    visibility        VARCHAR(10)  NOT NULL,
    base_url          VARCHAR(500) NOT NULL,
    proxy             VARCHAR(500),
    cloud_id          UUID         NOT NULL REFERENCES cloud (id),
    services          VARCHAR(2000) NOT NULL,
    version           VARCHAR(63)  NOT NULL,
    status            VARCHAR(20)  NOT NULL,
    status_changed_at TIMESTAMPTZ  NOT NULL,
    last_seen_at      TIMESTAMPTZ,
    username          VARCHAR(100) NOT NULL UNIQUE,
    secret_encrypted  VARCHAR(500) NOT NULL,
    registered_at     TIMESTAMPTZ  NOT NULL
);

CREATE TABLE node_registration (
    id         UUID PRIMARY KEY,
    token_hash VARCHAR(64)  NOT NULL UNIQUE,
    note       VARCHAR(200),
    created_by VARCHAR(63)  NOT NULL,
    created_at TIMESTAMPTZ  NOT NULL,
    expires_at TIMESTAMPTZ  NOT NULL,
    used_at    TIMESTAMPTZ,
    node_id    UUID REFERENCES node (id)
);

CREATE TABLE vdc (
    id               UUID PRIMARY KEY,
    tenant_id        UUID        NOT NULL REFERENCES tenant (id),
    cloud_id         UUID        NOT NULL REFERENCES cloud (id),
    node_id          UUID        NOT NULL REFERENCES node (id),
    name             VARCHAR(63) NOT NULL,
    remote_id        VARCHAR(100) NOT NULL,
    cpu_quota        INTEGER     NOT NULL,
    memory_mb_quota  BIGINT      NOT NULL,
    storage_gb_quota BIGINT      NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL,
    UNIQUE (tenant_id, cloud_id, name)
);
CREATE INDEX vdc_tenant_idx ON vdc (tenant_id);

-- db-scheduler's table: durable execution of recurring checks and, later, workflow steps.
CREATE TABLE scheduled_tasks (
    task_name            TEXT                     NOT NULL,
    task_instance        TEXT                     NOT NULL,
    task_data            BYTEA,
    execution_time       TIMESTAMP WITH TIME ZONE NOT NULL,
    picked               BOOLEAN                  NOT NULL,
    picked_by            TEXT,
    last_success         TIMESTAMP WITH TIME ZONE,
    last_failure         TIMESTAMP WITH TIME ZONE,
    consecutive_failures INT,
    last_heartbeat       TIMESTAMP WITH TIME ZONE,
    version              BIGINT                   NOT NULL,
    priority             SMALLINT,
    PRIMARY KEY (task_name, task_instance)
);
CREATE INDEX execution_time_idx ON scheduled_tasks (execution_time);
CREATE INDEX last_heartbeat_idx ON scheduled_tasks (last_heartbeat);
CREATE INDEX priority_execution_time_idx ON scheduled_tasks (priority DESC, execution_time ASC);

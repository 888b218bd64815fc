-- Stretch deploys (seed 004): what was stretched where, so that it can be reversed and its kept source committed.
-- The id is the workflow run's.
CREATE TABLE stretch_deploy (
    id               UUID PRIMARY KEY,
    tenant_id        UUID        NOT NULL REFERENCES tenant (id),
    kind             VARCHAR(10) NOT NULL,
    source_vdc_id    UUID        NOT NULL,
    source_id        VARCHAR(64) NOT NULL,
    source_vm_ids    TEXT        NOT NULL,
    target_vdc_id    UUID        NOT NULL,
    network_id       UUID        NOT NULL,
    extended_network BOOLEAN     NOT NULL,
    keep_source      BOOLEAN     NOT NULL,
    committed        BOOLEAN     NOT NULL DEFAULT FALSE,
    reverse_of       UUID,
    created_at       TIMESTAMPTZ NOT NULL
);
CREATE INDEX stretch_deploy_tenant ON stretch_deploy (tenant_id);

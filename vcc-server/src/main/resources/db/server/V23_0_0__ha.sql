-- High availability on nested virtual hypervisors (seed 001). A pool names the physical systems of one node's
-- cloud that nest inactive virtual hypervisors; a protection says which customer hypervisor (or one VM on it)
-- fails over into which pool with what recovery point objective; a failover is one activation of a virtual
-- hypervisor, held until failback.
CREATE TABLE ha_pool (
    id         UUID PRIMARY KEY,
    node_id    UUID         NOT NULL REFERENCES node (id),
    name       VARCHAR(200) NOT NULL,
    created_at TIMESTAMPTZ  NOT NULL,
    UNIQUE (node_id, name)
);

CREATE TABLE ha_protection (
    id            UUID PRIMARY KEY,
    tenant_id     UUID REFERENCES tenant (id),
    pool_id       UUID         NOT NULL REFERENCES ha_pool (id),
    hypervisor_id VARCHAR(100) NOT NULL,
    vm_id         VARCHAR(100),
    rpo_seconds   INT          NOT NULL,
    created_at    TIMESTAMPTZ  NOT NULL
);
CREATE INDEX ha_protection_hypervisor ON ha_protection (pool_id, hypervisor_id);

CREATE TABLE ha_failover (
    id                    UUID PRIMARY KEY,
    tenant_id             UUID REFERENCES tenant (id),
    pool_id               UUID          NOT NULL REFERENCES ha_pool (id),
    node_id               UUID          NOT NULL REFERENCES node (id),
    hypervisor_id         VARCHAR(100)  NOT NULL,
    system_id             VARCHAR(100)  NOT NULL,
    vh_id                 VARCHAR(100)  NOT NULL,
    trigger_kind          VARCHAR(20)   NOT NULL,
    reason                VARCHAR(1000) NOT NULL,
    state                 VARCHAR(20)   NOT NULL,
    operation_id          UUID,
    failback_operation_id UUID,
    created_at            TIMESTAMPTZ   NOT NULL,
    updated_at            TIMESTAMPTZ   NOT NULL
);
-- One open failover per customer hypervisor, and a virtual hypervisor claimed by one open failover only: two
-- failures at once (or two server replicas detecting one) can never take the same virtual hypervisor.
CREATE UNIQUE INDEX ha_failover_open_hypervisor ON ha_failover (node_id, hypervisor_id)
    WHERE state NOT IN ('FAILED_BACK', 'ABORTED');
CREATE UNIQUE INDEX ha_failover_open_vh ON ha_failover (node_id, vh_id)
    WHERE state NOT IN ('FAILED_BACK', 'ABORTED');

-- The VMs a failover moves and the hypervisor each came from, where failback returns it.
CREATE TABLE ha_failover_vm (
    failover_id        UUID         NOT NULL REFERENCES ha_failover (id),
    vm_id              VARCHAR(100) NOT NULL,
    home_hypervisor_id VARCHAR(100) NOT NULL,
    PRIMARY KEY (failover_id, vm_id)
);

CREATE TABLE ha_failover_protection (
    failover_id   UUID NOT NULL REFERENCES ha_failover (id),
    protection_id UUID NOT NULL REFERENCES ha_protection (id),
    PRIMARY KEY (failover_id, protection_id)
);

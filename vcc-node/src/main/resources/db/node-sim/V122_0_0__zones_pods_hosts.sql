-- Zones ⊃ pods ⊃ hosts (seed 003), seeded from configuration at start. A zone's row is the lock that
-- serialises placement into it, so two VMs created at once never both take a host's last room.
CREATE TABLE sim_zone (
    id         UUID PRIMARY KEY,
    name       VARCHAR(63) NOT NULL UNIQUE,
    vlan_first INTEGER     NOT NULL,
    vlan_last  INTEGER     NOT NULL,
    CHECK (vlan_first BETWEEN 1 AND 4094 AND vlan_last BETWEEN vlan_first AND 4094)
);

CREATE TABLE sim_pod (
    id      UUID PRIMARY KEY,
    zone_id UUID        NOT NULL REFERENCES sim_zone (id),
    name    VARCHAR(63) NOT NULL,
    UNIQUE (zone_id, name)
);

CREATE TABLE sim_host (
    id         UUID PRIMARY KEY,
    pod_id     UUID        NOT NULL REFERENCES sim_pod (id),
    name       VARCHAR(63) NOT NULL,
    cpus       INTEGER     NOT NULL,
    memory_mb  BIGINT      NOT NULL,
    storage_gb BIGINT      NOT NULL,
    UNIQUE (pod_id, name)
);

-- A VDC lives in the zone its first VM was placed in; a runnable VM on a host (a template's VMs on none).
ALTER TABLE sim_vdc ADD COLUMN zone_id UUID REFERENCES sim_zone (id);
ALTER TABLE sim_vm ADD COLUMN host_id UUID REFERENCES sim_host (id);
ALTER TABLE sim_vm ADD COLUMN anti_affinity_group VARCHAR(63);
CREATE INDEX sim_vm_host ON sim_vm (host_id);

-- Each account (organization) holds one VLAN ID of a zone's range while it has VMs there.
CREATE TABLE sim_account_vlan (
    id           UUID PRIMARY KEY,
    zone_id      UUID        NOT NULL REFERENCES sim_zone (id),
    organization VARCHAR(63) NOT NULL,
    vlan         INTEGER     NOT NULL,
    allocated_at TIMESTAMPTZ NOT NULL,
    UNIQUE (zone_id, organization),
    UNIQUE (zone_id, vlan)
);

-- Billing: one period per VM (or template VM) from its creation to its deletion. Kept after both.
CREATE TABLE sim_usage_period (
    id           UUID PRIMARY KEY,
    organization VARCHAR(63) NOT NULL,
    vm_id        UUID        NOT NULL,
    runnable     BOOLEAN     NOT NULL,
    storage_gb   BIGINT      NOT NULL,
    started_at   TIMESTAMPTZ NOT NULL,
    ended_at     TIMESTAMPTZ
);
CREATE INDEX sim_usage_period_open ON sim_usage_period (vm_id) WHERE ended_at IS NULL;
CREATE INDEX sim_usage_period_organization ON sim_usage_period (organization);

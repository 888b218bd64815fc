-- High availability on nested virtual hypervisors (seed 001): bare-metal systems (customer ones, and pool ones
-- whose first-level hypervisor nests inactive virtual hypervisors), the hypervisors, and the customer VMs.
CREATE TABLE sim_ha_system (
    id                  UUID PRIMARY KEY,
    name                VARCHAR(200) NOT NULL UNIQUE,
    role                VARCHAR(20)  NOT NULL,
    pool                VARCHAR(200),
    hardware_generation INT          NOT NULL,
    cpus                INT          NOT NULL,
    memory_mb           BIGINT       NOT NULL,
    powered             BOOLEAN      NOT NULL,
    failed              BOOLEAN      NOT NULL,
    version             BIGINT       NOT NULL DEFAULT 0
);

CREATE TABLE sim_ha_hypervisor (
    id                  UUID PRIMARY KEY,
    name                VARCHAR(200) NOT NULL UNIQUE,
    kind                VARCHAR(20)  NOT NULL,
    system_id           UUID         NOT NULL REFERENCES sim_ha_system (id),
    active              BOOLEAN      NOT NULL,
    failed              BOOLEAN      NOT NULL,
    mirror_of           UUID REFERENCES sim_ha_hypervisor (id),
    hardware_generation INT          NOT NULL,
    cpus                INT          NOT NULL,
    memory_mb           BIGINT       NOT NULL,
    version             BIGINT       NOT NULL DEFAULT 0
);
CREATE INDEX sim_ha_hypervisor_system ON sim_ha_hypervisor (system_id);

CREATE TABLE sim_ha_vm (
    id            UUID PRIMARY KEY,
    tenant        VARCHAR(200) NOT NULL,
    name          VARCHAR(200) NOT NULL,
    hypervisor_id UUID         NOT NULL REFERENCES sim_ha_hypervisor (id),
    power         VARCHAR(20)  NOT NULL,
    cpus          INT          NOT NULL,
    memory_mb     BIGINT       NOT NULL,
    mac           VARCHAR(17)  NOT NULL UNIQUE,
    ip            VARCHAR(45)  NOT NULL,
    segment       VARCHAR(200) NOT NULL,
    tag           INT          NOT NULL,
    disk_bytes    BIGINT       NOT NULL,
    replica_at    TIMESTAMP WITH TIME ZONE,
    version       BIGINT       NOT NULL DEFAULT 0,
    UNIQUE (tenant, name)
);
CREATE INDEX sim_ha_vm_hypervisor ON sim_ha_vm (hypervisor_id);

-- The digest of each chunk of a VM's replica as last copied: a replication pass copies only chunks whose
-- digest differs.
CREATE TABLE sim_ha_replica_chunk (
    vm_id  UUID        NOT NULL REFERENCES sim_ha_vm (id),
    idx    INT         NOT NULL,
    digest VARCHAR(64) NOT NULL,
    PRIMARY KEY (vm_id, idx)
);

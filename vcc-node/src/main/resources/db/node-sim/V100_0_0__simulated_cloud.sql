-- The simulated cloud's inventory: what a cloud director and hypervisor would hold.
CREATE TABLE sim_vdc (
    id               UUID PRIMARY KEY,
    organization     VARCHAR(63)  NOT NULL,
    name             VARCHAR(63)  NOT NULL,
    cpu_quota        INTEGER      NOT NULL,
    memory_mb_quota  BIGINT       NOT NULL,
    storage_gb_quota BIGINT       NOT NULL,
    created_at       TIMESTAMPTZ  NOT NULL,
    version          BIGINT       NOT NULL DEFAULT 0,
    UNIQUE (organization, name)
);

CREATE TABLE sim_network (
    id        UUID PRIMARY KEY,
    vdc_id    UUID        NOT NULL REFERENCES sim_vdc (id),
    name      VARCHAR(63) NOT NULL,
    prefix    VARCHAR(20) NOT NULL,
    next_host INTEGER     NOT NULL,
    UNIQUE (vdc_id, name)
);

CREATE TABLE sim_vapp (
    id     UUID PRIMARY KEY,
    vdc_id UUID        NOT NULL REFERENCES sim_vdc (id),
    name   VARCHAR(63) NOT NULL
);

CREATE TABLE sim_vm (
    id         UUID PRIMARY KEY,
    vdc_id     UUID        NOT NULL REFERENCES sim_vdc (id),
    vapp_id    UUID        NOT NULL REFERENCES sim_vapp (id),
    name       VARCHAR(63) NOT NULL,
    state      VARCHAR(20) NOT NULL,
    cpus       INTEGER     NOT NULL,
    memory_mb  BIGINT      NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    version    BIGINT      NOT NULL DEFAULT 0,
    UNIQUE (vdc_id, name)
);

CREATE TABLE sim_vm_disk (
    vm_id          UUID          NOT NULL REFERENCES sim_vm (id) ON DELETE CASCADE,
    idx            INTEGER       NOT NULL,
    capacity_bytes BIGINT        NOT NULL,
    path           VARCHAR(1000) NOT NULL,
    PRIMARY KEY (vm_id, idx)
);

CREATE TABLE sim_vm_nic (
    vm_id   UUID        NOT NULL REFERENCES sim_vm (id) ON DELETE CASCADE,
    idx     INTEGER     NOT NULL,
    network VARCHAR(63) NOT NULL,
    mac     VARCHAR(17) NOT NULL UNIQUE,
    ip      VARCHAR(45),
    PRIMARY KEY (vm_id, idx)
);

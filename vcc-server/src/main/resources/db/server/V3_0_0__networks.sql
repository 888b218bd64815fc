-- Tenant networks stretched across clouds (issue 4, seed 000). Every tag level is its own space of VLAN IDs
-- 1..4094; the unique constraints below are what keeps an allocation unique, whatever the server replicas do.

-- A tenant's VLAN as one layer-2 network: its host tag (802.1ad S-tag) and customer tag (802.1Q C-tag) are
-- unique system-wide, so two tenants with the same VLAN ID never share a tag.
CREATE TABLE tenant_network (
    id           UUID PRIMARY KEY,
    tenant_id    UUID        NOT NULL REFERENCES tenant (id),
    name         VARCHAR(63) NOT NULL,
    vlan_id      INTEGER     NOT NULL CHECK (vlan_id BETWEEN 1 AND 4094),
    host_tag     INTEGER     NOT NULL CHECK (host_tag BETWEEN 1 AND 4094),
    customer_tag INTEGER     NOT NULL CHECK (customer_tag BETWEEN 1 AND 4094),
    created_at   TIMESTAMPTZ NOT NULL,
    CONSTRAINT tenant_network_vlan_uq UNIQUE (tenant_id, vlan_id),
    CONSTRAINT tenant_network_name_uq UNIQUE (tenant_id, name),
    CONSTRAINT tenant_network_host_tag_uq UNIQUE (host_tag),
    CONSTRAINT tenant_network_customer_tag_uq UNIQUE (customer_tag)
);

-- A cloud's datacenter tag, held while at least one tenant network spans the cloud.
CREATE TABLE datacenter_tag (
    cloud_id     UUID PRIMARY KEY REFERENCES cloud (id),
    tag          INTEGER     NOT NULL CHECK (tag BETWEEN 1 AND 4094),
    allocated_at TIMESTAMPTZ NOT NULL,
    CONSTRAINT datacenter_tag_uq UNIQUE (tag)
);

-- A tenant network in one cloud: the node that carries it, the cloud-local VXLAN VNI (unique per cloud) and
-- the local cloud's VTEPs on it ("host:port", comma-separated).
CREATE TABLE network_segment (
    network_id  UUID          NOT NULL REFERENCES tenant_network (id) ON DELETE CASCADE,
    cloud_id    UUID          NOT NULL REFERENCES cloud (id),
    node_id     UUID          NOT NULL REFERENCES node (id),
    vni         INTEGER       NOT NULL CHECK (vni BETWEEN 1 AND 16777215),
    local_vteps VARCHAR(4000) NOT NULL,
    created_at  TIMESTAMPTZ   NOT NULL,
    PRIMARY KEY (network_id, cloud_id),
    CONSTRAINT network_segment_vni_uq UNIQUE (cloud_id, vni)
);
CREATE INDEX network_segment_node_idx ON network_segment (node_id);

-- A pair of nodes that tunnel to each other, and the id of the pair's current key. The key itself is never
-- stored: the server generates it, hands it to both nodes and forgets it; a node that lost it gets a new one.
CREATE TABLE tunnel_pair (
    node_a    UUID        NOT NULL REFERENCES node (id),
    node_b    UUID        NOT NULL REFERENCES node (id),
    key_id    INTEGER     NOT NULL CHECK (key_id BETWEEN 0 AND 255), -- 0: no key issued yet
    keyed_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (node_a, node_b),
    CHECK (node_a::text < node_b::text)
);

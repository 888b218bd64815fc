-- What a failover could not do, reported in its result rather than carried on silently: the VMs it could not move
-- onto the VH (with the node's reason) and the inactive VHs it could not evacuate from the VH's system.
ALTER TABLE ha_failover_vm ADD COLUMN problem VARCHAR(1000);

CREATE TABLE ha_failover_unevacuated (
    failover_id UUID          NOT NULL REFERENCES ha_failover (id),
    vh_id       VARCHAR(100)  NOT NULL,
    reason      VARCHAR(1000) NOT NULL,
    PRIMARY KEY (failover_id, vh_id)
);

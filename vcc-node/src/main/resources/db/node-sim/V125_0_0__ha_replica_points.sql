-- HA disk replication through the transfer's checkpoint log (seed 001): each pass of a VM's disk is one log
-- (transfer_file / transfer_chunk, target side) whose chunk digests say what the replica holds once the pass is
-- applied. point_id: the last complete pass; previous_id: the one before, kept until the new point is applied to
-- the replica file (a crash in between applies it again); pass_id: a pass under way (one cut short starts again).
CREATE TABLE sim_ha_replica (
    vm_id       UUID PRIMARY KEY REFERENCES sim_ha_vm (id),
    point_id    UUID,
    previous_id UUID,
    pass_id     UUID,
    replica_at  TIMESTAMPTZ,
    chunks      INT    NOT NULL DEFAULT 0,
    chunks_sent INT    NOT NULL DEFAULT 0,
    bytes_sent  BIGINT NOT NULL DEFAULT 0
);

-- The digests now live in the checkpoint log.
DROP TABLE sim_ha_replica_chunk;

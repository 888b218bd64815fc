-- Each protection's last replication point (seed 001): when its VMs' disks were last replicated into the pool, how
-- many chunks that pass compared and how many it sent (only changed ones), and the last failed attempt's reason.
ALTER TABLE ha_protection
    ADD COLUMN replicated_at         TIMESTAMPTZ,
    ADD COLUMN replicated_vms        INT,
    ADD COLUMN replicated_chunks     INT,
    ADD COLUMN replicated_chunks_sent INT,
    ADD COLUMN replicated_bytes_sent BIGINT,
    ADD COLUMN replication_failed_at TIMESTAMPTZ,
    ADD COLUMN replication_error     VARCHAR(1000);

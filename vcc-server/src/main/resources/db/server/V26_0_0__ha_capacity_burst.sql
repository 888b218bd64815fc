-- A pool's capacity-burst policy (seed 001's "capacity burst" trigger): when a protected customer hypervisor's CPU
-- load reaches the threshold (percent; null: no policy), a VH of the pool is activated and VMs move to it live.
ALTER TABLE ha_pool ADD COLUMN burst_threshold_percent INT;

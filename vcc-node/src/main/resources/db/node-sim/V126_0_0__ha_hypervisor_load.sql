-- A hypervisor's CPU load in percent, which tests inject: a pool's capacity-burst policy watches it (seed 001).
ALTER TABLE sim_ha_hypervisor ADD COLUMN load_percent INT NOT NULL DEFAULT 0;

-- The IP MTU of the VMs' interfaces on a network backed by a tenant segment: the tenant network's. Networks backed
-- before it had one setting for all (vcc.sim.segments.vm-mtu, default 1400).
ALTER TABLE sim_network ADD COLUMN mtu INTEGER NOT NULL DEFAULT 1400;

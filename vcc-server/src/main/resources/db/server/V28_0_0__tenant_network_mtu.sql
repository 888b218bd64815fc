-- The IP MTU of the VMs' interfaces on a tenant network: every datapath the network spans must carry it.
-- Networks made before it had one setting for all (vcc.stretch.vm-mtu, default 1400).
ALTER TABLE tenant_network ADD COLUMN mtu INTEGER NOT NULL DEFAULT 1400;

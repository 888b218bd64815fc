-- VDC networks backed by a tenant layer-2 segment (local VXLAN VNI) with the edge gateway's rules, and the
-- segment each NIC is attached to.
ALTER TABLE sim_network ADD COLUMN segment_vni INTEGER;
ALTER TABLE sim_network ADD COLUMN gateway VARCHAR(45);
ALTER TABLE sim_network ADD COLUMN edge_rules TEXT;
ALTER TABLE sim_vm_nic ADD COLUMN segment_vni INTEGER;

-- vApp templates (the VDC's catalog): a vApp and its VMs marked as a template. A template's VMs cannot run
-- and count only their disks against the VDC's storage quota.
ALTER TABLE sim_vapp ADD COLUMN template BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE sim_vm ADD COLUMN template BOOLEAN NOT NULL DEFAULT FALSE;
-- A template's VMs keep the names they had; names stay unique among a VDC's runnable VMs and within a vApp.
ALTER TABLE sim_vm DROP CONSTRAINT sim_vm_vdc_id_name_key;
CREATE UNIQUE INDEX sim_vm_runnable_name ON sim_vm (vdc_id, name) WHERE NOT template;
CREATE UNIQUE INDEX sim_vm_vapp_name ON sim_vm (vapp_id, name);

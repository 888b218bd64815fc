-- The ovf:format of an imported disk's image, kept as the package declared it (NULL: raw), so an export
-- declares the same format and a hypervisor that cares (libvirt) can convert it.
ALTER TABLE sim_vm_disk ADD COLUMN format VARCHAR(500);

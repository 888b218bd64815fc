package io.vcc.node.adapter;

import io.vcc.api.ha.HaInventory;
import io.vcc.api.ha.HaVmInfo;
import io.vcc.api.ha.HypervisorInfo;
import io.vcc.api.ha.PhysicalSystemInfo;
import io.vcc.api.ha.Placement;
import io.vcc.api.ha.ReplicationResult;

/**
 * High availability on nested virtual hypervisors (seed 001): the physical systems of the cloud with their
 * hypervisors, the customer VMs on them, and the actions a failover is made of. Shaped for a real implementation:
 * a libvirt one maps physical systems to hosts (fencing through their BMC), virtual hypervisors to nested KVM
 * domains and placement to {@code virDomainMigrate} (live) or a define-and-start from the replica (restore); a
 * vSphere one maps them to ESXi hosts, nested ESXi VMs and vMotion. Every action is idempotent and refuses with
 * {@code not-found} or {@code invalid-state} what cannot be done, changing nothing.
 */
public interface HaAdapter {

    HaInventory inventory();

    /** Powers the system off (IPMI chassis power off); its hypervisors and VMs stop. */
    PhysicalSystemInfo fence(String physicalSystemId);

    /** Boots an inactive virtual hypervisor so that it can run customer VMs. */
    HypervisorInfo activate(String virtualHypervisorId);

    /** Returns an active virtual hypervisor without VMs to inactive readiness. */
    HypervisorInfo deactivate(String virtualHypervisorId);

    /** Moves an inactive virtual hypervisor to another running pool system. */
    HypervisorInfo move(String virtualHypervisorId, String physicalSystemId);

    /** Runs the VM on the hypervisor, keeping its MAC, IP and NIC segment and tag. */
    HaVmInfo place(String vmId, Placement placement);

    /** Copies the changed chunks of the VM's disks to its replica in the pool. */
    ReplicationResult replicate(String vmId);
}

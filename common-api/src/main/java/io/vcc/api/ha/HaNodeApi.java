package io.vcc.api.ha;

import jakarta.validation.Valid;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.annotation.HttpExchange;
import org.springframework.web.service.annotation.PostExchange;
import org.springframework.web.service.annotation.PutExchange;

/**
 * A VCC node's HA adapter under {@code /node/v1/ha}; every call needs a node session. Every action is idempotent
 * (activating an active VH, placing a VM where it already runs, fencing a system that is off all succeed), so the
 * server's workflow can simply call it again after any interruption.
 */
@HttpExchange("/node/v1/ha")
public interface HaNodeApi {

    @GetExchange("/inventory")
    HaInventory inventory();

    /** Powers the system off as IPMI would, so that nothing on it can run twice; idempotent. */
    @PostExchange("/physical-systems/{id}/fence")
    PhysicalSystemInfo fence(@PathVariable String id);

    @PostExchange("/virtual-hypervisors/{id}/activate")
    HypervisorInfo activate(@PathVariable String id);

    /** Refused with {@code invalid-state} while customer VMs still run on it. */
    @PostExchange("/virtual-hypervisors/{id}/deactivate")
    HypervisorInfo deactivate(@PathVariable String id);

    /** Moves an inactive virtual hypervisor to another pool system (evacuation). */
    @PutExchange("/virtual-hypervisors/{id}/host")
    HypervisorInfo move(@PathVariable String id, @Valid @RequestBody HostChange change);

    /** Runs the VM on that hypervisor with the same MAC, IP and NIC segment and tag. */
    @PutExchange("/vms/{id}/placement")
    HaVmInfo place(@PathVariable String id, @Valid @RequestBody Placement placement);

    /** Copies the chunks of the VM's disks that changed since the last pass into the pool's replica. */
    @PostExchange("/vms/{id}/replicate")
    ReplicationResult replicate(@PathVariable String id);
}

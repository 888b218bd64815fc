package io.vcc.node.adapter.libvirt;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

/**
 * What this adapter reads from and writes into a domain's XML: its hardware and, for VMs of this node, who
 * owns it ({@code owner} is null for a domain without our metadata, which the node leaves alone).
 */
record DomainDefinition(UUID id, Owner owner, int cpus, long memoryMb, List<Path> disks, List<Nic> nics) {

    DomainDefinition {
        disks = List.copyOf(disks);
        nics = List.copyOf(nics);
    }

    boolean ours() {
        return owner != null;
    }

    /**
     * The VDC and vApp a VM belongs to and its name there, kept in the domain's {@code <metadata>}, with the
     * import that made it ({@code importKey}, null for none). The VMs of a catalog template have the template
     * as their vApp, with {@code template} set: they are copies kept for the catalog, not VMs to run.
     */
    record Owner(String vdcId, String vappId, String vappName, String vmName, boolean template, String importKey) {
    }

    /**
     * A NIC on a VDC network: a libvirt network, or with {@code vni} the bridge of that tenant segment
     * ({@link SegmentBridges}); {@code ip} is the address it keeps on the segment (null: none given), {@code mtu} the
     * segment network's (null: libvirt's default).
     */
    record Nic(String mac, String network, String ip, Integer vni, Integer mtu) {

        Nic(String mac, String network) {
            this(mac, network, null, null, null);
        }
    }
}

package io.vcc.node.adapter;

import io.vcc.api.node.NicAnswer;
import io.vcc.api.node.NicPlacement;
import io.vcc.api.node.SegmentNetworkInfo;
import io.vcc.api.node.SegmentNetworkSpec;
import io.vcc.api.node.SegmentPort;
import io.vcc.api.node.VmInfo;
import java.util.List;

/**
 * VM NICs on tenant layer-2 segments (seed 000 meets seed 004): a VDC network can be backed by the segment a
 * tenant network has in this cloud (local VXLAN VNI), and the NICs of VMs on it are attached to that segment,
 * so the node's datapath carries their frames to the other clouds the tenant network spans. The hypervisor
 * attaches and detaches; a VM placed on a backed network is attached, one placed elsewhere detached.
 * Implementations: {@code sim} (recorded in the node's database, optionally with a network namespace per
 * powered-on VM).
 */
public interface TenantSegments {

    /** {@code host:port} of the VTEPs the hypervisor sends the segments' VXLAN from. */
    List<String> vteps();

    /** Every NIC attached to a segment. */
    List<SegmentPort> ports();

    List<SegmentNetworkInfo> networks(String vdcId);

    /** Creates or updates a routed VDC network on the segment; NICs already on it follow a new VNI. */
    SegmentNetworkInfo putNetwork(String vdcId, String name, SegmentNetworkSpec spec);

    /** Refuses with {@code invalid-state} while a NIC is on it; absent is fine. */
    void removeNetwork(String vdcId, String name);

    /** Puts the NIC on the network with that MAC and address, attached to its segment when it has one. */
    VmInfo placeNic(String vmId, int index, NicPlacement placement);

    /**
     * Whether the VM answers on the NIC's IP, probed from inside the NIC's segment where the hypervisor can (a VM that
     * is powered on may still be booting, or its interface down): what a cut-over waits for before the source goes.
     */
    NicAnswer answer(String vmId, int index);

    void attachNic(String vmId, int index, int vni);

    void detachNic(String vmId, int index);
}

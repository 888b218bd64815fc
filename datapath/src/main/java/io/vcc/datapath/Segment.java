package io.vcc.datapath;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One tenant network as this node carries it: the VXLAN segment the local cloud uses for it and the host
 * and customer tags that name it between nodes.
 *
 * @param network     a readable name, e.g. {@code acme/web}; it shows in snapshots and metrics
 * @param vni         the VXLAN network identifier the local cloud uses for this network
 * @param hostTag     VLAN ID (1..4094) of the host tag, an 802.1ad S-tag
 * @param customerTag VLAN ID (1..4094) of the customer tag, an 802.1Q C-tag
 * @param localVteps  the local cloud's VTEPs on this segment: where frames for it are delivered, and the
 *                    only sources accepted for it (by address; the port is where frames are sent)
 * @param peers       node ids of the peers this network spans; frames are flooded to these and accepted
 *                    from these only
 */
public record Segment(String network, int vni, int hostTag, int customerTag, List<InetSocketAddress> localVteps,
                      Set<String> peers) {

    public Segment {
        Objects.requireNonNull(network, "network");
        if (vni < 0 || vni > 0xFF_FFFF) {
            throw new IllegalArgumentException("a VNI has 24 bits, was " + vni);
        }
        TagMap.checkVid("host tag", hostTag);
        TagMap.checkVid("customer tag", customerTag);
        localVteps = List.copyOf(localVteps);
        for (InetSocketAddress vtep : localVteps) {
            if (vtep.isUnresolved()) {
                throw new IllegalArgumentException("a VTEP address must be resolved: " + vtep);
            }
        }
        peers = Set.copyOf(peers);
    }
}

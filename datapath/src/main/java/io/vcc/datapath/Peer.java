package io.vcc.datapath;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Another node, in another cloud, that this node tunnels to.
 *
 * @param nodeId        the node's id as the server knows it; tunnel keys are installed under it
 * @param datacenterTag the VLAN ID (1..4094) of the peer's datacenter tag, pushed on frames for it
 * @param tunnelAddress where the peer's tunnel listens
 */
public record Peer(String nodeId, int datacenterTag, InetSocketAddress tunnelAddress) {

    public Peer {
        Objects.requireNonNull(nodeId, "nodeId");
        TagMap.checkVid("datacenter tag", datacenterTag);
        if (tunnelAddress.isUnresolved()) {
            throw new IllegalArgumentException("a tunnel address must be resolved: " + tunnelAddress);
        }
    }
}

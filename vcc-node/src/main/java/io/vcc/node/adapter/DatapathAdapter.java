package io.vcc.node.adapter;

import io.vcc.api.datapath.DatapathState;
import io.vcc.api.datapath.KeySpec;
import io.vcc.api.datapath.PeerSpec;
import io.vcc.api.datapath.SegmentSpec;

/**
 * The node's layer-2 datapath as the server programs it (seed 000): per tenant network a local VXLAN
 * segment with its host and customer tag, per peer node a datacenter tag, a tunnel address and the pair's
 * keys. Every change applies live. Refuses what does not fit the running datapath (a tag pair or a
 * datacenter tag used twice, an address that does not resolve) with {@code validation}, and everything
 * before {@link #setup} with {@code invalid-state}. Implementation: {@code io.vcc.node.datapath} (Netty).
 */
public interface DatapathAdapter {

    String name();

    DatapathState state();

    /** Starts the datapath with this node's datacenter tag, or restarts it when the tag differs. */
    DatapathState setup(int datacenterTag);

    void putSegment(int vni, SegmentSpec segment);

    /** @return whether there was such a segment */
    boolean removeSegment(int vni);

    void putPeer(String nodeId, PeerSpec peer);

    /** @return whether there was such a peer */
    boolean removePeer(String nodeId);

    void putKey(String nodeId, int keyId, KeySpec key);

    void retirePreviousKey(String nodeId);
}

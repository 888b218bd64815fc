package io.vcc.datapath;

import io.vcc.datapath.frame.Tag;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * A segment as the forwarding path needs it, immutable but for its MAC table and counters. A tag-map
 * change that leaves a segment as it was keeps this very object, so its learned addresses survive.
 */
final class SegmentState {

    final Segment segment;
    final int hostTagWord;
    final int customerTagWord;
    final LocalVtep[] vteps;
    final PeerState[] peers;
    final MacTable macs;
    final SegmentCounters counters;

    SegmentState(Segment segment, PeerState[] peers, MacTable macs, SegmentCounters counters) {
        this.segment = segment;
        this.hostTagWord = Tag.word(Tag.TPID_8021AD, segment.hostTag());
        this.customerTagWord = Tag.word(Tag.TPID_8021Q, segment.customerTag());
        this.vteps = segment.localVteps().stream().map(LocalVtep::new).toArray(LocalVtep[]::new);
        this.peers = peers;
        this.macs = macs;
        this.counters = counters;
    }

    /**
     * The VTEP a datagram came from: the one with its exact address and port, else the first with its
     * address (a kernel VXLAN device sends from a hashed source port, not from its listening port).
     */
    LocalVtep vtepFor(InetSocketAddress sender) {
        InetAddress address = sender.getAddress();
        LocalVtep byAddress = null;
        for (LocalVtep vtep : vteps) {
            if (vtep.address.getAddress().equals(address)) {
                if (vtep.address.getPort() == sender.getPort()) {
                    return vtep;
                }
                if (byAddress == null) {
                    byAddress = vtep;
                }
            }
        }
        return byAddress;
    }

    boolean spans(PeerState peer) {
        for (PeerState p : peers) {
            if (p == peer) {
                return true;
            }
        }
        return false;
    }

    boolean sameShape(Segment other, PeerState[] otherPeers) {
        if (!segment.equals(other) || peers.length != otherPeers.length) {
            return false;
        }
        for (int i = 0; i < peers.length; i++) {
            if (peers[i] != otherPeers[i]) {
                return false;
            }
        }
        return true;
    }
}

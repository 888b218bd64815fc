package io.vcc.datapath;

import io.vcc.datapath.frame.Tag;
import io.vcc.datapath.tunnel.KeyRing;

/** A peer as the forwarding path needs it: its address, its datacenter tag as a wire word, its keys. */
final class PeerState {

    final Peer peer;
    final KeyRing keys;
    final int datacenterTagWord;

    PeerState(Peer peer, KeyRing keys) {
        this.peer = peer;
        this.keys = keys;
        this.datacenterTagWord = Tag.word(Tag.TPID_8021AD, peer.datacenterTag());
    }

    @Override
    public String toString() {
        return "peer " + peer.nodeId();
    }
}

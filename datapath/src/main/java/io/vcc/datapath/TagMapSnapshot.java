package io.vcc.datapath;

import java.util.List;

/** The tag map as programmed at one instant: what a {@code GET} of the node's map shows. */
public record TagMapSnapshot(int localDatacenterTag, List<Segment> segments, List<Peer> peers) {

    public TagMapSnapshot {
        segments = List.copyOf(segments);
        peers = List.copyOf(peers);
    }
}

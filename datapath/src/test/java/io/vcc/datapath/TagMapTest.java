package io.vcc.datapath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TagMapTest {

    private static final InetSocketAddress VTEP = new InetSocketAddress("127.0.0.1", 4789);
    private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.2", 4790);

    private final TestNode node = new TestNode(108, new InetSocketAddress("127.0.0.1", 4790));

    @Test
    void refusesMapsThatWouldMixTenantsOrNodes() {
        node.tagMap.putSegment(new Segment("acme/net", 5001, 100, 200, List.of(VTEP), Set.of()));
        assertThatThrownBy(() -> node.tagMap.putSegment(new Segment("globex/net", 5002, 100, 200, List.of(VTEP), Set.of())))
                .hasMessageContaining("same host tag 100 and customer tag 200");
        assertThatThrownBy(() -> node.tagMap.putPeer(new Peer("node-x", 108, PEER)))
                .hasMessageContaining("own datacenter tag");
        node.tagMap.putPeer(new Peer("node-b", 208, PEER));
        assertThatThrownBy(() -> node.tagMap.putPeer(new Peer("node-c", 208, PEER))).hasMessageContaining("datacenter tag 208");
        assertThatThrownBy(() -> new Segment("x", 1 << 24, 1, 1, List.of(), Set.of())).hasMessageContaining("24 bits");
        assertThatThrownBy(() -> new Segment("x", 1, 4095, 1, List.of(), Set.of())).hasMessageContaining("1..4094");
        assertThatThrownBy(() -> new Segment("x", 1, 1, 0, List.of(), Set.of())).hasMessageContaining("1..4094");
        // a refused change leaves the map as it was
        assertThat(node.tagMap.snapshot().segments()).extracting(Segment::network).containsExactly("acme/net");
        assertThat(node.tagMap.snapshot().peers()).extracting(Peer::nodeId).containsExactly("node-b");
    }

    @Test
    void replaceSwapsTheWholeMapAndKeepsUnchangedSegmentsState() {
        Segment acme = new Segment("acme/net", 5001, 100, 200, List.of(VTEP), Set.of("node-b"));
        Peer peer = new Peer("node-b", 208, PEER);
        node.tagMap.replace(new TagMapSnapshot(108, List.of(acme), List.of(peer)));
        SegmentState before = node.tagMap.table().segmentByVni(5001);
        assertThat(before.peers).hasSize(1);

        Segment globex = new Segment("globex/net", 5002, 100, 300, List.of(VTEP), Set.of());
        node.tagMap.replace(new TagMapSnapshot(108, List.of(acme, globex), List.of(peer)));
        assertThat(node.tagMap.table().segmentByVni(5001)).isSameAs(before);
        assertThat(node.tagMap.table().segmentByTags(100, 300).segment).isEqualTo(globex);

        node.tagMap.replace(new TagMapSnapshot(108, List.of(globex), List.of()));
        assertThat(node.tagMap.table().segmentByVni(5001)).isNull();
        assertThat(node.counters.segment(5001)).isNull();
        assertThatThrownBy(() -> node.tagMap.replace(new TagMapSnapshot(109, List.of(), List.of())))
                .hasMessageContaining("datacenter tag is 108");
    }

    @Test
    void aSegmentMayNameAPeerBeforeThePeerIsKnown() {
        node.tagMap.putSegment(new Segment("acme/net", 5001, 100, 200, List.of(VTEP), Set.of("node-b")));
        assertThat(node.tagMap.table().segmentByVni(5001).peers).isEmpty();
        node.tagMap.putPeer(new Peer("node-b", 208, PEER));
        assertThat(node.tagMap.table().segmentByVni(5001).peers).extracting(p -> p.peer.nodeId()).containsExactly("node-b");
    }
}

package io.vcc.datapath;

import static io.vcc.datapath.TwoClouds.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vcc.datapath.frame.EthernetFrame;
import io.vcc.datapath.frame.SeedFrames;
import io.vcc.datapath.frame.Tag;
import io.vcc.datapath.frame.Vxlan;
import io.vcc.datapath.tunnel.KeyRing;
import io.vcc.datapath.tunnel.TunnelCipher;
import io.vcc.datapath.tunnel.TunnelHeader;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The forwarding logic of two nodes back to back: tagging, delivery, learning, isolation, drops, keys. */
class FrameForwarderTest {

    private static final HexFormat HEX = HexFormat.of();
    // The same VM addresses, VLAN and IP payload for both tenants: only the tag map tells them apart.
    private static final String VM5 = "52:54:00:00:00:05";
    private static final String VM6 = "52:54:00:00:00:06";
    private static final byte[] IP_PAYLOAD = HEX.parseHex("4500001c00004000400100000a0000050a0000060800f7ff00000000");

    private final TwoClouds clouds = new TwoClouds();

    private static byte[] vm(String destination, String source) {
        return EthernetFrame.of(destination, source, 0x0800, IP_PAYLOAD, Tag.dot1q(10)).toBytes();
    }

    @Test
    void seedFrame800CrossesFromTheSecondCloudTo110DWithItsTagsAndArrivesWithoutThem() {
        byte[] frame800 = SeedFrames.FRAME_800.toBytes();
        Trip trip = clouds.send(clouds.b, Vxlan.encapsulate(B_SEED_VNI, frame800), B_SEED_VTEP);

        assertThat(trip.tunnel()).hasSize(1);
        byte[] carried = openTunnel(trip.tunnel().get(0).bytes(), KEY_1);
        assertThat(HEX.formatHex(carried)).isEqualTo(
                "000919200705" + "f39819ab55b4" + "88a8006c" + "88a80066" + "810000cb" + "88b5" + "446f706579");

        assertThat(trip.delivered()).singleElement().satisfies(out -> {
            assertThat(out.tunnel()).isFalse();
            assertThat(out.to()).isEqualTo(A_SEED_VTEP);
            assertThat(HEX.formatHex(out.bytes())).isEqualTo(
                    "08000000" + "00138b00" + "000919200705" + "f39819ab55b4" + "88b5" + "446f706579");
        });
    }

    @Test
    void seedFrames600And700ArriveByteForByteAndNoNodeTagReachesTheEndpoint() {
        for (EthernetFrame frame : List.of(SeedFrames.FRAME_600, SeedFrames.FRAME_700, SeedFrames.FRAME_750)) {
            byte[] bytes = frame.toBytes();
            Trip trip = clouds.send(clouds.a, Vxlan.encapsulate(A_ACME_VNI, bytes), A_ACME_VTEP_1);
            assertThat(trip.delivered()).singleElement()
                    .satisfies(out -> assertThat(out.bytes()).isEqualTo(Vxlan.encapsulate(B_ACME_VNI, bytes)));
        }
    }

    @Test
    void aTenantsOwnTagTravelsUntouched() {
        byte[] frame = vm(VM6, VM5);
        Trip trip = clouds.send(clouds.a, Vxlan.encapsulate(A_ACME_VNI, frame), A_ACME_VTEP_1);
        byte[] carried = openTunnel(trip.tunnel().get(0).bytes(), KEY_1);
        assertThat(EthernetFrame.decode(carried, 8).tags()).containsExactly(
                Tag.dot1ad(SeedFrames.DATACENTER_SECOND_CLOUD), Tag.dot1ad(HOST_TAG), Tag.dot1q(ACME_CUSTOMER_TAG),
                Tag.dot1q(10));
        assertThat(trip.delivered()).singleElement()
                .satisfies(out -> assertThat(out.bytes()).isEqualTo(Vxlan.encapsulate(B_ACME_VNI, frame)));
    }

    @Test
    void unknownUnicastFloodsTheSegmentOnlyThenLearnedAddressesGoStraight() {
        Trip first = clouds.send(clouds.a, Vxlan.encapsulate(A_ACME_VNI, vm(VM6, VM5)), A_ACME_VTEP_1);
        // flooded: the other acme VTEP here and the peer acme spans, nowhere else
        assertThat(first.local()).extracting(RecordingEgress.Sent::to).containsExactly(A_ACME_VTEP_2);
        assertThat(first.tunnel()).hasSize(1);
        assertThat(first.delivered()).extracting(RecordingEgress.Sent::to).containsExactly(B_ACME_VTEP);

        Trip reply = clouds.send(clouds.b, Vxlan.encapsulate(B_ACME_VNI, vm(VM5, VM6)), B_ACME_VTEP);
        assertThat(reply.local()).isEmpty();
        assertThat(reply.delivered()).extracting(RecordingEgress.Sent::to).containsExactly(A_ACME_VTEP_1);

        Trip again = clouds.send(clouds.a, Vxlan.encapsulate(A_ACME_VNI, vm(VM6, VM5)), A_ACME_VTEP_1);
        assertThat(again.local()).isEmpty();
        assertThat(again.delivered()).extracting(RecordingEgress.Sent::to).containsExactly(B_ACME_VTEP);
    }

    @Test
    void tenantsWithTheSameMacsVlanAndAddressesNeverMeet() {
        byte[] frame = vm(VM6, VM5);
        Trip acme = clouds.send(clouds.a, Vxlan.encapsulate(A_ACME_VNI, frame), A_ACME_VTEP_1);
        Trip globex = clouds.send(clouds.a, Vxlan.encapsulate(A_GLOBEX_VNI, frame), A_GLOBEX_VTEP);
        assertThat(acme.delivered()).singleElement().satisfies(out -> {
            assertThat(out.to()).isEqualTo(B_ACME_VTEP);
            assertThat(out.bytes()).isEqualTo(Vxlan.encapsulate(B_ACME_VNI, frame));
        });
        assertThat(globex.delivered()).singleElement().satisfies(out -> {
            assertThat(out.to()).isEqualTo(B_GLOBEX_VTEP);
            assertThat(out.bytes()).isEqualTo(Vxlan.encapsulate(B_GLOBEX_VNI, frame));
        });
        assertThat(globex.local()).isEmpty();

        // the learned VM5 of acme is not globex's VM5: a globex reply still floods on globex only
        Trip globexReply = clouds.send(clouds.b, Vxlan.encapsulate(B_GLOBEX_VNI, vm(VM5, VM6)), B_GLOBEX_VTEP);
        assertThat(globexReply.delivered()).extracting(RecordingEgress.Sent::to).containsExactly(A_GLOBEX_VTEP);
        assertThat(clouds.b.stats(B_ACME_VNI).framesFromLocal()).isZero();
    }

    @Test
    void broadcastIsFloodedWithinTheSegment() {
        Trip trip = clouds.send(clouds.a, Vxlan.encapsulate(A_ACME_VNI, vm("ff:ff:ff:ff:ff:ff", VM5)), A_ACME_VTEP_2);
        assertThat(trip.local()).extracting(RecordingEgress.Sent::to).containsExactly(A_ACME_VTEP_1);
        assertThat(trip.delivered()).extracting(RecordingEgress.Sent::to).containsExactly(B_ACME_VTEP);
    }

    @Test
    void groupSourceAddressesAreForwardedButNeverLearned() {
        // seed frame 600's source 57:89:6f:88:9d:c7 has the I/G bit set
        clouds.send(clouds.a, Vxlan.encapsulate(A_ACME_VNI, SeedFrames.FRAME_600.toBytes()), A_ACME_VTEP_1);
        Trip back = clouds.send(clouds.b, Vxlan.encapsulate(B_ACME_VNI,
                EthernetFrame.of("57:89:6f:88:9d:c7", VM6, 0x0800, IP_PAYLOAD).toBytes()), B_ACME_VTEP);
        assertThat(back.delivered()).extracting(RecordingEgress.Sent::to).containsExactly(A_ACME_VTEP_1, A_ACME_VTEP_2);
    }

    @Test
    void learnedAddressesAgeOut() {
        clouds.send(clouds.b, Vxlan.encapsulate(B_ACME_VNI, vm(VM5, VM6)), B_ACME_VTEP);
        assertThat(clouds.send(clouds.a, Vxlan.encapsulate(A_ACME_VNI, vm(VM6, VM5)), A_ACME_VTEP_1).local()).isEmpty();

        clouds.a.clock.addAndGet(301_000_000_000L);
        assertThat(clouds.send(clouds.a, Vxlan.encapsulate(A_ACME_VNI, vm(VM6, VM5)), A_ACME_VTEP_1).local())
                .extracting(RecordingEgress.Sent::to).containsExactly(A_ACME_VTEP_2);
        clouds.a.tagMap.expireMacs(clouds.a.clock.get() + 301_000_000_000L);
        assertThat(clouds.a.tagMap.table().segmentByVni(A_ACME_VNI).macs.size()).isZero();
    }

    @Test
    void changingTheMapLeavesOtherSegmentsAlone() {
        clouds.send(clouds.b, Vxlan.encapsulate(B_ACME_VNI, vm(VM5, VM6)), B_ACME_VTEP);
        SegmentState acmeBefore = clouds.a.tagMap.table().segmentByVni(A_ACME_VNI);

        clouds.a.tagMap.putSegment(new Segment("initech/net", 5009, 100, 900, List.of(address("127.0.14.1", 4789)),
                Set.of("node-b")));
        clouds.a.tagMap.removeSegment(A_GLOBEX_VNI);

        assertThat(clouds.a.tagMap.table().segmentByVni(A_ACME_VNI)).isSameAs(acmeBefore);
        Trip trip = clouds.send(clouds.a, Vxlan.encapsulate(A_ACME_VNI, vm(VM6, VM5)), A_ACME_VTEP_1);
        assertThat(trip.local()).as("still known: no flood").isEmpty();
        assertThat(trip.delivered()).hasSize(1);

        clouds.send(clouds.a, Vxlan.encapsulate(A_GLOBEX_VNI, vm(VM6, VM5)), A_GLOBEX_VTEP);
        assertThat(clouds.a.unassigned().dropped(DropReason.UNKNOWN_SEGMENT)).isEqualTo(1);
    }

    @Test
    void malformedLocalDatagramsAreDroppedAndCountedByReason() {
        TestNode a = clouds.a;
        byte[] good = Vxlan.encapsulate(A_ACME_VNI, vm(VM6, VM5));

        assertThat(a.fromLocal(new byte[5], A_ACME_VTEP_1)).isEmpty();
        byte[] badFlags = good.clone();
        badFlags[0] = 0x0C;
        assertThat(a.fromLocal(badFlags, A_ACME_VTEP_1)).isEmpty();
        assertThat(a.fromLocal(Vxlan.encapsulate(4242, vm(VM6, VM5)), A_ACME_VTEP_1)).isEmpty();
        assertThat(a.unassigned().dropped()).containsEntry(DropReason.TRUNCATED, 1L)
                .containsEntry(DropReason.BAD_VXLAN_FLAGS, 1L).containsEntry(DropReason.UNKNOWN_SEGMENT, 1L);

        assertThat(a.fromLocal(java.util.Arrays.copyOf(good, 8 + 13), A_ACME_VTEP_1)).isEmpty();
        byte[] deep = EthernetFrame.of(VM6, VM5, 0x0800, IP_PAYLOAD, Tag.dot1q(1), Tag.dot1q(2), Tag.dot1q(3)).toBytes();
        assertThat(a.fromLocal(Vxlan.encapsulate(A_ACME_VNI, deep), A_ACME_VTEP_1)).isEmpty();
        byte[] jumbo = EthernetFrame.of(VM6, VM5, 0x0800, new byte[1505]).toBytes();
        assertThat(a.fromLocal(Vxlan.encapsulate(A_ACME_VNI, jumbo), A_ACME_VTEP_1)).isEmpty();
        assertThat(a.fromLocal(good, address("127.0.99.9", 4789))).isEmpty();

        assertThat(a.stats(A_ACME_VNI).dropped()).containsOnly(
                java.util.Map.entry(DropReason.TRUNCATED, 1L), java.util.Map.entry(DropReason.TAG_STACK_TOO_DEEP, 1L),
                java.util.Map.entry(DropReason.OVERSIZE, 1L), java.util.Map.entry(DropReason.UNKNOWN_SOURCE_VTEP, 1L));
        assertThat(a.stats(A_ACME_VNI).framesFromLocal()).isEqualTo(4);
    }

    @Test
    void framesTooLargeForTheTunnelMtuAreCountedAsOversize() {
        TestNode small = new TestNode(DatapathConfig.builder().localVtep(address("127.0.0.1", 0)).tunnel(A_TUNNEL)
                .datacenterTag(108).tunnelMtu(1500).maxFrameLength(1518));
        small.tagMap.putPeer(new Peer("node-b", 208, B_TUNNEL));
        small.keys.install("node-b", KEY_1);
        small.tagMap.putSegment(new Segment("acme/net", A_ACME_VNI, HOST_TAG, ACME_CUSTOMER_TAG, List.of(A_ACME_VTEP_1),
                Set.of("node-b")));
        int fits = small.config.mtuBudget().maxTunneledFrame();
        assertThat(fits).isEqualTo(1500 - 20 - 8 - 12 - 12 - 16);
        byte[] justFits = EthernetFrame.of(VM6, VM5, 0x0800, new byte[fits - 14]).toBytes();
        byte[] tooBig = EthernetFrame.of(VM6, VM5, 0x0800, new byte[fits - 13]).toBytes();
        List<RecordingEgress.Sent> sent = small.fromLocal(Vxlan.encapsulate(A_ACME_VNI, justFits), A_ACME_VTEP_1);
        assertThat(sent).singleElement().satisfies(s -> assertThat(s.bytes().length + 28).isEqualTo(1500));
        assertThat(small.fromLocal(Vxlan.encapsulate(A_ACME_VNI, tooBig), A_ACME_VTEP_1)).isEmpty();
        assertThat(small.stats(A_ACME_VNI).dropped(DropReason.OVERSIZE)).isEqualTo(1);
    }

    @Test
    void tamperedReplayedAndForeignTunnelDatagramsAreDroppedAndCounted() {
        TestNode b = clouds.b;
        byte[] datagram = freshTunnelDatagram();
        assertThat(b.fromTunnel(datagram, A_TUNNEL)).hasSize(1);
        assertThat(b.fromTunnel(datagram, A_TUNNEL)).as("replayed").isEmpty();

        // flip one bit of a fresh datagram: key id, sender tag, sequence (authenticated as associated
        // data), ciphertext, GCM tag
        int[] positions = {1, 2, 4, 20, datagram.length - 1};
        for (int i : positions) {
            byte[] tampered = freshTunnelDatagram();
            tampered[i] ^= 0x40;
            assertThat(b.fromTunnel(tampered, A_TUNNEL)).as("bit flipped at %d", i).isEmpty();
        }
        byte[] badVersion = freshTunnelDatagram();
        badVersion[0] = 2;
        assertThat(b.fromTunnel(badVersion, A_TUNNEL)).isEmpty();
        assertThat(b.fromTunnel(java.util.Arrays.copyOf(datagram, 30), A_TUNNEL)).isEmpty();
        assertThat(b.fromTunnel(new byte[7], A_TUNNEL)).isEmpty();

        assertThat(b.unassigned().dropped()).containsOnly(
                java.util.Map.entry(DropReason.REPLAYED, 1L),
                java.util.Map.entry(DropReason.NO_KEY, 1L),
                java.util.Map.entry(DropReason.UNKNOWN_PEER, 1L),
                java.util.Map.entry(DropReason.AUTH_FAILED, 3L),
                java.util.Map.entry(DropReason.BAD_TUNNEL_HEADER, 2L),
                java.util.Map.entry(DropReason.TRUNCATED, 1L));
        assertThat(b.stats(B_ACME_VNI).framesFromTunnel()).isEqualTo(1);
        assertThat(b.stats(B_ACME_VNI).framesToLocal()).isEqualTo(1);
    }

    private byte[] freshTunnelDatagram() {
        return clouds.a.fromLocal(Vxlan.encapsulate(A_ACME_VNI, vm(VM6, VM5)), A_ACME_VTEP_1).stream()
                .filter(RecordingEgress.Sent::tunnel).findFirst().orElseThrow().bytes();
    }

    @Test
    void aPeerCannotInjectIntoASegmentItIsNotSpannedTo() {
        clouds.b.tagMap.putSegment(new Segment("acme/net", B_ACME_VNI, HOST_TAG, ACME_CUSTOMER_TAG, List.of(B_ACME_VTEP),
                Set.of()));
        Trip trip = clouds.send(clouds.a, Vxlan.encapsulate(A_ACME_VNI, vm(VM6, VM5)), A_ACME_VTEP_1);
        assertThat(trip.delivered()).isEmpty();
        assertThat(clouds.b.stats(B_ACME_VNI).dropped(DropReason.SEGMENT_NOT_SPANNED)).isEqualTo(1);
    }

    @Test
    void aFrameForAnotherDatacenterIsRefused() {
        // node A believes node B has datacenter tag 209: B receives a frame tagged for someone else
        clouds.a.tagMap.putPeer(new Peer("node-b", 209, B_TUNNEL));
        Trip trip = clouds.send(clouds.a, Vxlan.encapsulate(A_ACME_VNI, vm(VM6, VM5)), A_ACME_VTEP_1);
        assertThat(trip.tunnel()).hasSize(1);
        assertThat(trip.delivered()).isEmpty();
        assertThat(clouds.b.unassigned().dropped(DropReason.BAD_MTDC_TAGS)).isEqualTo(1);
    }

    @Test
    void keyRotationAcceptsCurrentAndPreviousKeyAndStagingLosesNothing() {
        byte[] frame = Vxlan.encapsulate(A_ACME_VNI, vm(VM6, VM5));
        byte[] sealedWithKey1 = clouds.a.fromLocal(frame, A_ACME_VTEP_1).stream()
                .filter(RecordingEgress.Sent::tunnel).findFirst().orElseThrow().bytes();

        // A rotates first without staging: B cannot open key 2 yet, and counts it
        clouds.a.keys.install("node-b", KEY_2);
        assertThat(clouds.send(clouds.a, frame, A_ACME_VTEP_1).delivered()).isEmpty();
        assertThat(clouds.b.unassigned().dropped(DropReason.NO_KEY)).isEqualTo(1);

        clouds.b.keys.install("node-a", KEY_2);
        assertThat(clouds.send(clouds.a, frame, A_ACME_VTEP_1).delivered()).hasSize(1);
        assertThat(clouds.b.fromTunnel(sealedWithKey1, A_TUNNEL)).as("previous key still accepted").hasSize(1);
        assertThat(clouds.b.keys.states()).containsExactly(new PeerKeys("node-a", 2, 1, null));

        clouds.b.keys.retirePrevious("node-a");
        clouds.a.keys.retirePrevious("node-b");
        // a fresh key-1 datagram (as an old sender would make) is no longer accepted
        byte[] late = sealWithKey1As(SeedFrames.DATACENTER_FIRST_CLOUD);
        assertThat(clouds.b.fromTunnel(late, A_TUNNEL)).isEmpty();
        assertThat(clouds.b.unassigned().dropped(DropReason.NO_KEY)).isEqualTo(2);

        // lossless rotation to key 3: stage on both, then install on both
        var key3 = key(3, (byte) 0x33);
        clouds.a.keys.stage("node-b", key3);
        clouds.b.keys.stage("node-a", key3);
        clouds.a.keys.install("node-b", key3);
        assertThat(clouds.send(clouds.a, frame, A_ACME_VTEP_1).delivered()).as("B accepts the staged key").hasSize(1);
        clouds.b.keys.install("node-a", key3);
        assertThat(clouds.send(clouds.b, Vxlan.encapsulate(B_ACME_VNI, vm(VM5, VM6)), B_ACME_VTEP).delivered()).hasSize(1);
        assertThat(clouds.b.unassigned().dropped(DropReason.NO_KEY)).isEqualTo(2);
    }

    @Test
    void withoutAKeyNothingIsSentAndTheDropIsCounted() {
        clouds.a.keys.remove("node-b");
        Trip trip = clouds.send(clouds.a, Vxlan.encapsulate(A_ACME_VNI, vm(VM6, VM5)), A_ACME_VTEP_1);
        assertThat(trip.tunnel()).isEmpty();
        assertThat(clouds.a.stats(A_ACME_VNI).dropped(DropReason.NO_KEY)).isEqualTo(1);
    }

    @Test
    void aFullSendQueueIsCountedAsBackpressure() {
        clouds.a.egress.backedUp = true;
        clouds.a.fromLocal(Vxlan.encapsulate(A_ACME_VNI, vm(VM6, VM5)), A_ACME_VTEP_1);
        assertThat(clouds.a.stats(A_ACME_VNI).dropped(DropReason.BACKPRESSURE)).isEqualTo(2); // VTEP 2 and node B
    }

    @Test
    void countersAddUp() {
        clouds.send(clouds.a, Vxlan.encapsulate(A_ACME_VNI, vm(VM6, VM5)), A_ACME_VTEP_1);
        SegmentStats a = clouds.a.stats(A_ACME_VNI);
        int frameLength = vm(VM6, VM5).length;
        assertThat(a.framesFromLocal()).isEqualTo(1);
        assertThat(a.bytesFromLocal()).isEqualTo(frameLength);
        assertThat(a.framesToLocal()).isEqualTo(1);
        assertThat(a.framesToTunnel()).isEqualTo(1);
        assertThat(a.bytesToTunnel()).isEqualTo(frameLength);
        SegmentStats b = clouds.b.stats(B_ACME_VNI);
        assertThat(b.framesFromTunnel()).isEqualTo(1);
        assertThat(b.bytesFromTunnel()).isEqualTo(frameLength);
        assertThat(b.bytesToLocal()).isEqualTo(frameLength);
    }

    /** A tunnel datagram for node B sealed by hand with KEY_1, as a sender that never rotated would. */
    private static byte[] sealWithKey1As(int senderTag) {
        byte[] frame = EthernetFrame.of(VM6, VM5, 0x0800, IP_PAYLOAD, Tag.dot1ad(208), Tag.dot1ad(HOST_TAG),
                Tag.dot1q(ACME_CUSTOMER_TAG)).toBytes();
        ByteBuf buf = Unpooled.buffer(TunnelHeader.OVERHEAD + frame.length);
        buf.setBytes(TunnelHeader.LENGTH, frame);
        KeyRing ring = new KeyRing();
        ring.install(KEY_1);
        new TunnelCipher().seal(buf, 0, frame.length, ring.sending(), senderTag, ring.nextSequence());
        byte[] out = new byte[TunnelHeader.OVERHEAD + frame.length];
        buf.getBytes(0, out);
        return out;
    }
}

package io.vcc.datapath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vcc.datapath.frame.EthernetFrame;
import io.vcc.datapath.frame.SeedFrames;
import io.vcc.datapath.frame.Tag;
import io.vcc.datapath.frame.Vxlan;
import io.vcc.datapath.tunnel.TunnelKey;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Two running datapaths on loopback UDP with random ports, and plain sockets as the clouds' VTEPs: VXLAN
 * in at one node, byte-for-byte VXLAN out at the other, tenants with identical VLANs, MACs and IPs kept
 * apart.
 */
class DatapathSocketTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final String VM5 = "52:54:00:00:00:05";
    private static final String VM6 = "52:54:00:00:00:06";
    private static final byte[] IP_PAYLOAD = HEX.parseHex("4500001c00004000400100000a0000050a0000060800f7ff00000000");
    private static final TunnelKey KEY = new TunnelKey(1, HEX.parseHex("000102030405060708090a0b0c0d0e0f"));

    /**
     * The transports a node can run on: epoll with recvmmsg and GSO sends, the same without GSO, epoll with
     * UDP_GRO on the tunnel port, and the NIO fallback.
     */
    enum Mode { EPOLL_RECVMMSG, EPOLL_NO_GSO, EPOLL_UDP_GRO, NIO }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void framesCrossBetweenTwoNodesByteForByteAndTenantsStayApart(Mode mode) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(mode == Mode.NIO || io.netty.channel.epoll.Epoll.isAvailable(),
                "epoll is Linux-only");
        try (UdpVtep aAcme = new UdpVtep(); UdpVtep aGlobex = new UdpVtep(); UdpVtep bAcme = new UdpVtep();
             UdpVtep bGlobex = new UdpVtep(); UdpVtep stranger = new UdpVtep(InetAddress.getByName("127.0.0.2"));
             Datapath a = start(108, mode); Datapath b = start(208, mode)) {
            a.tagMap().putPeer(new Peer("node-b", 208, b.tunnelAddress()));
            b.tagMap().putPeer(new Peer("node-a", 108, a.tunnelAddress()));
            a.tunnelKeys().install("node-b", KEY);
            b.tunnelKeys().install("node-a", KEY);
            a.tagMap().putSegment(new Segment("acme/net", 5001, 100, 200, List.of(aAcme.address()), Set.of("node-b")));
            a.tagMap().putSegment(new Segment("globex/net", 5002, 100, 300, List.of(aGlobex.address()), Set.of("node-b")));
            b.tagMap().putSegment(new Segment("acme/net", 6001, 100, 200, List.of(bAcme.address()), Set.of("node-a")));
            b.tagMap().putSegment(new Segment("globex/net", 6002, 100, 300, List.of(bGlobex.address()), Set.of("node-a")));
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            b.metrics().bindTo(registry);

            // the same frame (same MACs, tenant VLAN 10, same IPs) from both tenants at A
            byte[] frame = EthernetFrame.of(VM6, VM5, 0x0800, IP_PAYLOAD, Tag.dot1q(10)).toBytes();
            aAcme.send(Vxlan.encapsulate(5001, frame), a.localVtepAddress());
            aGlobex.send(Vxlan.encapsulate(5002, frame), a.localVtepAddress());
            assertThat(bAcme.receive()).isEqualTo(Vxlan.encapsulate(6001, frame));
            assertThat(bGlobex.receive()).isEqualTo(Vxlan.encapsulate(6002, frame));

            // replies come back to the tenant's own VTEP only
            byte[] reply = EthernetFrame.of(VM5, VM6, 0x0800, IP_PAYLOAD, Tag.dot1q(10)).toBytes();
            bAcme.send(Vxlan.encapsulate(6001, reply), b.localVtepAddress());
            assertThat(aAcme.receive()).isEqualTo(Vxlan.encapsulate(5001, reply));
            bGlobex.send(Vxlan.encapsulate(6002, reply), b.localVtepAddress());
            assertThat(aGlobex.receive()).isEqualTo(Vxlan.encapsulate(5002, reply));

            // the seed's example frames, byte for byte
            List<byte[]> seeds = new ArrayList<>();
            for (EthernetFrame seed : List.of(SeedFrames.FRAME_600, SeedFrames.FRAME_700, SeedFrames.FRAME_750,
                    SeedFrames.FRAME_800)) {
                seeds.add(seed.toBytes());
                aAcme.send(Vxlan.encapsulate(5001, seed.toBytes()), a.localVtepAddress());
            }
            for (byte[] seed : seeds) {
                assertThat(HEX.formatHex(bAcme.receive())).isEqualTo(HEX.formatHex(Vxlan.encapsulate(6001, seed)));
            }

            // garbage on both ports is counted, not forwarded
            byte[] badFlags = Vxlan.encapsulate(5001, frame);
            badFlags[0] = 0;
            stranger.send(badFlags, a.localVtepAddress());
            stranger.send(Vxlan.encapsulate(5001, frame), a.localVtepAddress()); // not a VTEP of acme's
            stranger.send(new byte[64], b.tunnelAddress());
            byte[] forged = new byte[100];
            forged[0] = 1;
            forged[1] = 1;
            forged[3] = 108; // claims to be node A, with key 1 and a fresh sequence number, but cannot know the key
            forged[4] = 0x7f;
            stranger.send(forged, b.tunnelAddress());
            awaitTrue(() -> a.snapshot().unassigned().dropped(DropReason.BAD_VXLAN_FLAGS) == 1
                    && a.snapshot().segment(5001).stats().dropped(DropReason.UNKNOWN_SOURCE_VTEP) == 1
                    && b.snapshot().unassigned().dropped(DropReason.BAD_TUNNEL_HEADER) == 1
                    && b.snapshot().unassigned().dropped(DropReason.AUTH_FAILED) == 1);

            DatapathSnapshot snapshot = b.snapshot();
            assertThat(snapshot.transport()).isEqualTo(mode == Mode.NIO ? "nio" : "epoll");
            assertThat(snapshot.segment(6001).stats().framesToLocal()).isEqualTo(1 + seeds.size());
            assertThat(snapshot.segment(6002).stats().framesToLocal()).isEqualTo(1);
            // VM5, VM6 and the source of seed frames 700 and 750; 600's and 800's sources are group addresses
            assertThat(snapshot.segment(6001).learnedMacs()).isEqualTo(3);
            assertThat(snapshot.keys()).containsExactly(new PeerKeys("node-a", 1, null, null));
            assertThat(snapshot.tagMap().peers()).containsExactly(new Peer("node-a", 108, a.tunnelAddress()));
            assertThat(snapshot.mtu().maxTenantMtu()).isEqualTo(1500 - 28 - 12 - 12 - 16 - 14);
            assertThat(b.learnedMacs(6001)).extracting(LearnedMac::mac)
                    .containsExactlyInAnyOrder(VM5, VM6, "04:7a:9e:a1:a3:41");
            assertThat(registry.get("vcc.datapath.frames.sent").tags("segment", "6002", "to", "local")
                    .functionCounter().count()).isEqualTo(1.0);

            // nothing else reached any VTEP
            for (UdpVtep vtep : List.of(aAcme, aGlobex, bAcme, bGlobex, stranger)) {
                assertThat(vtep.poll()).isNull();
            }
        }
    }

    /**
     * Back-to-back frames of one flow, as a bulk transfer sends them: the nodes join runs of them into GSO
     * sends (and with GRO the peer reads a run as one buffer); every frame still arrives once, whole and in
     * order, runs broken by other lengths included.
     */
    @ParameterizedTest
    @EnumSource(Mode.class)
    void burstsOfFramesArriveWholeOnceAndInOrder(Mode mode) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(mode == Mode.NIO || io.netty.channel.epoll.Epoll.isAvailable(),
                "epoll is Linux-only");
        try (UdpVtep aAcme = new UdpVtep(); UdpVtep bAcme = new UdpVtep();
             Datapath a = start(108, mode); Datapath b = start(208, mode)) {
            a.tagMap().putPeer(new Peer("node-b", 208, b.tunnelAddress()));
            b.tagMap().putPeer(new Peer("node-a", 108, a.tunnelAddress()));
            a.tunnelKeys().install("node-b", KEY);
            b.tunnelKeys().install("node-a", KEY);
            a.tagMap().putSegment(new Segment("acme/net", 5001, 100, 200, List.of(aAcme.address()), Set.of("node-b")));
            b.tagMap().putSegment(new Segment("acme/net", 6001, 100, 200, List.of(bAcme.address()), Set.of("node-a")));

            int bursts = 3;
            int perBurst = 64;
            for (int burst = 0; burst < bursts; burst++) {
                List<byte[]> frames = new ArrayList<>();
                for (int i = 0; i < perBurst; i++) {
                    int n = burst * perBurst + i;
                    byte[] payload = new byte[n % 10 == 9 ? 700 : 300]; // every tenth frame breaks the run
                    payload[0] = (byte) (n >>> 8);
                    payload[1] = (byte) n;
                    payload[payload.length - 1] = (byte) ~n;
                    frames.add(EthernetFrame.of(VM6, VM5, 0x88B5, payload).toBytes());
                }
                for (byte[] frame : frames) {
                    aAcme.send(Vxlan.encapsulate(5001, frame), a.localVtepAddress());
                }
                for (byte[] frame : frames) {
                    assertThat(HEX.formatHex(bAcme.receive())).isEqualTo(HEX.formatHex(Vxlan.encapsulate(6001, frame)));
                }
            }
            assertThat(bAcme.poll()).as("no frame twice").isNull();
            DatapathSnapshot snapshot = b.snapshot();
            assertThat(snapshot.segment(6001).stats().framesToLocal()).isEqualTo(bursts * perBurst);
            assertThat(snapshot.segment(6001).stats().totalDropped()).isZero();
            assertThat(a.snapshot().segment(5001).stats().framesToTunnel()).isEqualTo(bursts * perBurst);
        }
    }

    @Test
    void aPortAnotherSocketHoldsIsRefusedNotShared() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(io.netty.channel.epoll.Epoll.isAvailable(), "epoll is Linux-only");
        InetAddress loopback = InetAddress.getLoopbackAddress();
        // Another process of the same user on the port, with SO_REUSEPORT: Linux would let the datapath's sockets join
        // its group and share the frames with it.
        try (DatagramChannel squatter = DatagramChannel.open()) {
            squatter.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            squatter.bind(new InetSocketAddress(loopback, 0));
            InetSocketAddress taken = (InetSocketAddress) squatter.getLocalAddress();
            assertThatThrownBy(() -> Datapath.start(DatapathConfig.builder().localVtep(taken)
                    .tunnel(new InetSocketAddress(loopback, 0)).datacenterTag(108).transport(DatapathConfig.Transport.EPOLL)
                    .build()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(taken + " is in use");
        }
    }

    private static Datapath start(int datacenterTag, Mode mode) {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        return Datapath.start(DatapathConfig.builder()
                .localVtep(new InetSocketAddress(loopback, 0))
                .tunnel(new InetSocketAddress(loopback, 0))
                .datacenterTag(datacenterTag)
                .transport(mode == Mode.NIO ? DatapathConfig.Transport.NIO : DatapathConfig.Transport.EPOLL)
                .udpGso(mode != Mode.EPOLL_NO_GSO)
                .udpGro(mode == Mode.EPOLL_UDP_GRO)
                .eventLoops(2)
                .build());
    }

    /** Waits (bounded) for the datapath to have counted what the test sent; asserts the outcome, not the time. */
    static void awaitTrue(BooleanSupplier condition) {
        for (int i = 0; i < 500 && !condition.getAsBoolean(); i++) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        assertThat(condition.getAsBoolean()).as("condition reached").isTrue();
    }
}

package io.vcc.datapath;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vcc.datapath.frame.SeedFrames;
import io.vcc.datapath.tunnel.KeyRing;
import io.vcc.datapath.tunnel.TunnelCipher;
import io.vcc.datapath.tunnel.TunnelHeader;
import io.vcc.datapath.tunnel.TunnelKey;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Two nodes' forwarding logic wired back to back: node A in the first cloud (datacenter tag 108) and node B
 * in the second (208). Tenants acme and globex each have one network spanning both clouds, with the same
 * host tag, different customer tags, and different VNIs in each cloud. A third network carries the seed's
 * C-series frames (frame 800).
 */
final class TwoClouds {

    static final InetSocketAddress A_TUNNEL = address("127.0.10.1", 4790);
    static final InetSocketAddress B_TUNNEL = address("127.0.20.1", 4790);
    static final InetSocketAddress A_ACME_VTEP_1 = address("127.0.11.1", 4789);
    static final InetSocketAddress A_ACME_VTEP_2 = address("127.0.11.2", 4789);
    static final InetSocketAddress A_GLOBEX_VTEP = address("127.0.12.1", 4789);
    static final InetSocketAddress A_SEED_VTEP = address("127.0.13.1", 4789);
    static final InetSocketAddress B_ACME_VTEP = address("127.0.21.1", 4789);
    static final InetSocketAddress B_GLOBEX_VTEP = address("127.0.22.1", 4789);
    static final InetSocketAddress B_SEED_VTEP = address("127.0.23.1", 4789);

    static final int A_ACME_VNI = 5001;
    static final int A_GLOBEX_VNI = 5002;
    static final int A_SEED_VNI = 5003;
    static final int B_ACME_VNI = 6001;
    static final int B_GLOBEX_VNI = 6002;
    static final int B_SEED_VNI = 6003;

    static final int HOST_TAG = 100;
    static final int ACME_CUSTOMER_TAG = 200;
    static final int GLOBEX_CUSTOMER_TAG = 300;

    static final TunnelKey KEY_1 = key(1, (byte) 0x11);
    static final TunnelKey KEY_2 = key(2, (byte) 0x22);

    final TestNode a = new TestNode(SeedFrames.DATACENTER_FIRST_CLOUD, A_TUNNEL);
    final TestNode b = new TestNode(SeedFrames.DATACENTER_SECOND_CLOUD, B_TUNNEL);

    TwoClouds() {
        a.tagMap.putPeer(new Peer("node-b", SeedFrames.DATACENTER_SECOND_CLOUD, B_TUNNEL));
        b.tagMap.putPeer(new Peer("node-a", SeedFrames.DATACENTER_FIRST_CLOUD, A_TUNNEL));
        a.keys.install("node-b", KEY_1);
        b.keys.install("node-a", KEY_1);
        a.tagMap.putSegment(new Segment("acme/net", A_ACME_VNI, HOST_TAG, ACME_CUSTOMER_TAG,
                List.of(A_ACME_VTEP_1, A_ACME_VTEP_2), Set.of("node-b")));
        a.tagMap.putSegment(new Segment("globex/net", A_GLOBEX_VNI, HOST_TAG, GLOBEX_CUSTOMER_TAG,
                List.of(A_GLOBEX_VTEP), Set.of("node-b")));
        a.tagMap.putSegment(new Segment("seed/c", A_SEED_VNI, SeedFrames.C_SERIES.host(), SeedFrames.C_SERIES.customer(),
                List.of(A_SEED_VTEP), Set.of("node-b")));
        b.tagMap.putSegment(new Segment("acme/net", B_ACME_VNI, HOST_TAG, ACME_CUSTOMER_TAG, List.of(B_ACME_VTEP),
                Set.of("node-a")));
        b.tagMap.putSegment(new Segment("globex/net", B_GLOBEX_VNI, HOST_TAG, GLOBEX_CUSTOMER_TAG,
                List.of(B_GLOBEX_VTEP), Set.of("node-a")));
        b.tagMap.putSegment(new Segment("seed/c", B_SEED_VNI, SeedFrames.C_SERIES.host(), SeedFrames.C_SERIES.customer(),
                List.of(B_SEED_VTEP), Set.of("node-a")));
    }

    /** What the tunnel carried and what the other node delivered, for one VXLAN datagram into {@code from}. */
    record Trip(List<RecordingEgress.Sent> sentByIngress, List<RecordingEgress.Sent> tunnel,
                List<RecordingEgress.Sent> delivered) {
        List<RecordingEgress.Sent> local() {
            return sentByIngress.stream().filter(s -> !s.tunnel()).toList();
        }
    }

    Trip send(TestNode from, byte[] vxlan, InetSocketAddress vtep) {
        TestNode to = from == a ? b : a;
        List<RecordingEgress.Sent> sent = from.fromLocal(vxlan, vtep);
        List<RecordingEgress.Sent> tunnel = sent.stream().filter(RecordingEgress.Sent::tunnel).toList();
        List<RecordingEgress.Sent> delivered = new ArrayList<>();
        for (RecordingEgress.Sent datagram : tunnel) {
            assertThat(datagram.to()).isEqualTo(from == a ? B_TUNNEL : A_TUNNEL);
            delivered.addAll(to.fromTunnel(datagram.bytes(), from == a ? A_TUNNEL : B_TUNNEL));
        }
        return new Trip(sent, tunnel, delivered);
    }

    /** Decrypts a captured tunnel datagram with {@code key}, as a tap that holds the pair's key would. */
    static byte[] openTunnel(byte[] datagram, TunnelKey key) {
        KeyRing ring = new KeyRing();
        ring.install(key);
        ByteBuf buf = Unpooled.copiedBuffer(datagram);
        assertThat(new TunnelCipher().open(buf, 0, datagram.length, ring.receiving(key.id())))
                .isEqualTo(TunnelCipher.OK);
        byte[] plain = new byte[datagram.length - TunnelHeader.OVERHEAD];
        buf.getBytes(TunnelHeader.LENGTH, plain);
        return plain;
    }

    static InetSocketAddress address(String host, int port) {
        return new InetSocketAddress(host, port);
    }

    static TunnelKey key(int id, byte fill) {
        byte[] secret = new byte[32];
        for (int i = 0; i < secret.length; i++) {
            secret[i] = (byte) (fill + i);
        }
        return new TunnelKey(id, secret);
    }
}

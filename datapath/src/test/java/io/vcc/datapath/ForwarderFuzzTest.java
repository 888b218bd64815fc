package io.vcc.datapath;

import static io.vcc.datapath.TwoClouds.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vcc.datapath.frame.EthernetFrame;
import io.vcc.datapath.frame.Tag;
import io.vcc.datapath.frame.Vxlan;
import io.vcc.datapath.tunnel.KeyRing;
import io.vcc.datapath.tunnel.TunnelCipher;
import io.vcc.datapath.tunnel.TunnelHeader;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Drives both nodes' forwarding logic with seeded-random and mutated datagrams on both sides, including
 * datagrams sealed with the real pair key around garbage (a peer that holds the key but sends nonsense).
 * Whatever comes in: nothing throws, nothing leaks, every datagram is counted, and whatever goes out to a
 * tenant's VTEP carries that tenant's VNI.
 */
class ForwarderFuzzTest {

    private static final long SEED = 0xF022_2026L;
    private static final int ITERATIONS = 40_000;

    private final TwoClouds clouds = new TwoClouds();
    private final Random random = new Random(SEED);
    private final KeyRing peerA = new KeyRing();
    private final TunnelCipher cipher = new TunnelCipher();
    private int localIn;

    private static final Map<InetSocketAddress, Integer> VNI_OF_VTEP = Map.of(
            A_ACME_VTEP_1, A_ACME_VNI, A_ACME_VTEP_2, A_ACME_VNI, A_GLOBEX_VTEP, A_GLOBEX_VNI, A_SEED_VTEP, A_SEED_VNI,
            B_ACME_VTEP, B_ACME_VNI, B_GLOBEX_VTEP, B_GLOBEX_VNI, B_SEED_VTEP, B_SEED_VNI);
    private static final List<InetSocketAddress> A_VTEPS = List.of(A_ACME_VTEP_1, A_ACME_VTEP_2, A_GLOBEX_VTEP, A_SEED_VTEP);
    private static final int[] A_VNIS = {A_ACME_VNI, A_GLOBEX_VNI, A_SEED_VNI, 4242};

    @Test
    void randomAndMutatedDatagramsNeverThrowLeakOrCrossSegments() {
        peerA.install(KEY_1);
        int tunnelIn = 0;
        for (int i = 0; i < ITERATIONS; i++) {
            switch (random.nextInt(4)) {
                case 0 -> {
                    byte[] datagram = mutate(validVxlan());
                    InetSocketAddress vtep = random.nextInt(10) == 0
                            ? address("127.0." + random.nextInt(30) + ".1", 4789) : A_VTEPS.get(random.nextInt(A_VTEPS.size()));
                    checkOutputs(clouds.a.fromLocal(datagram, vtep), true);
                    localIn++;
                }
                case 1 -> {
                    byte[] datagram = validTunnelFromA();
                    checkOutputs(clouds.b.fromTunnel(mutate(datagram), A_TUNNEL), false);
                    tunnelIn++;
                }
                case 2 -> {
                    checkOutputs(clouds.b.fromTunnel(sealedGarbage(), A_TUNNEL), false);
                    tunnelIn++;
                }
                default -> {
                    byte[] noise = new byte[random.nextInt(120)];
                    random.nextBytes(noise);
                    if (random.nextBoolean()) {
                        checkOutputs(clouds.a.fromLocal(noise, A_ACME_VTEP_1), true);
                        localIn++;
                    } else {
                        checkOutputs(clouds.b.fromTunnel(noise, A_TUNNEL), false);
                        tunnelIn++;
                    }
                }
            }
        }
        assertThat(totalFromLocal(clouds.a)).isEqualTo(localIn);
        assertThat(totalFromTunnel(clouds.b)).isEqualTo(tunnelIn);
        assertThat(clouds.a.unassigned().dropped(DropReason.INTERNAL_ERROR)).isZero();
        assertThat(clouds.b.unassigned().dropped(DropReason.INTERNAL_ERROR)).isZero();
        // the fuzzer reached deep: frames were delivered, and each kind of malformation was met
        assertThat(clouds.b.stats(B_ACME_VNI).framesToLocal()).isPositive();
        assertThat(clouds.a.stats(A_ACME_VNI).framesToTunnel()).isPositive();
        assertThat(clouds.a.unassigned().dropped()).containsKeys(DropReason.BAD_VXLAN_FLAGS, DropReason.TRUNCATED,
                DropReason.UNKNOWN_SEGMENT);
        assertThat(clouds.a.stats(A_ACME_VNI).dropped()).containsKeys(DropReason.TRUNCATED,
                DropReason.TAG_STACK_TOO_DEEP, DropReason.UNKNOWN_SOURCE_VTEP);
        assertThat(clouds.b.unassigned().dropped()).containsKeys(DropReason.AUTH_FAILED, DropReason.REPLAYED,
                DropReason.BAD_MTDC_TAGS, DropReason.UNKNOWN_PEER, DropReason.NO_KEY, DropReason.BAD_TUNNEL_HEADER,
                DropReason.UNKNOWN_SEGMENT);
    }

    private void checkOutputs(List<RecordingEgress.Sent> sent, boolean fromNodeA) {
        for (RecordingEgress.Sent out : sent) {
            if (out.tunnel()) {
                assertThat(out.to()).isEqualTo(fromNodeA ? B_TUNNEL : A_TUNNEL);
                continue;
            }
            Integer expectedVni = VNI_OF_VTEP.get(out.to());
            assertThat(expectedVni).as("sent to a VTEP of the map: %s", out.to()).isNotNull();
            ByteBuf buf = Unpooled.wrappedBuffer(out.bytes());
            assertThat(Vxlan.hasValidFlags(buf, 0)).isTrue();
            assertThat(Vxlan.vni(buf, 0)).as("a frame for %s", out.to()).isEqualTo(expectedVni);
        }
    }

    private byte[] validVxlan() {
        List<Tag> tags = new ArrayList<>();
        for (int t = random.nextInt(3); t > 0; t--) {
            tags.add(Tag.dot1q(random.nextInt(4095)));
        }
        byte[] payload = new byte[random.nextInt(200)];
        random.nextBytes(payload);
        long destination = switch (random.nextInt(3)) {
            case 0 -> 0xFFFF_FFFF_FFFFL;
            case 1 -> 0x5254_0000_0000L | random.nextInt(4);
            default -> random.nextLong() & 0xFFFF_FFFF_FFFFL;
        };
        EthernetFrame frame = new EthernetFrame(destination, 0x5254_0000_0000L | random.nextInt(4), tags, 0x0800, payload);
        return Vxlan.encapsulate(A_VNIS[random.nextInt(A_VNIS.length)], frame.toBytes());
    }

    private byte[] validTunnelFromA() {
        for (int attempt = 0; attempt < 20; attempt++) {
            localIn++;
            for (RecordingEgress.Sent out : clouds.a.fromLocal(validVxlan(), A_ACME_VTEP_1)) {
                if (out.tunnel()) {
                    return out.bytes();
                }
            }
        }
        return sealedGarbage();
    }

    /** Authentic datagrams from A whose plaintext is a mutated tagged frame: the post-decryption checks. */
    private byte[] sealedGarbage() {
        List<Tag> tags = new ArrayList<>(List.of(Tag.dot1ad(208), Tag.dot1ad(HOST_TAG),
                Tag.dot1q(random.nextBoolean() ? ACME_CUSTOMER_TAG : GLOBEX_CUSTOMER_TAG)));
        for (int t = random.nextInt(4); t > 0; t--) {
            tags.add(Tag.dot1q(random.nextInt(4095)));
        }
        byte[] payload = new byte[random.nextInt(100)];
        random.nextBytes(payload);
        byte[] plain = new EthernetFrame(random.nextLong() & 0xFFFF_FFFF_FFFFL, random.nextLong() & 0xFEFF_FFFF_FFFFL,
                tags, 0x0800, payload).toBytes();
        if (random.nextBoolean()) {
            plain = mutate(plain);
        }
        ByteBuf buf = Unpooled.buffer(TunnelHeader.OVERHEAD + plain.length);
        buf.setBytes(TunnelHeader.LENGTH, plain);
        cipher.seal(buf, 0, plain.length, peerA.sending(), 108, peerA.nextSequence());
        byte[] out = new byte[TunnelHeader.OVERHEAD + plain.length];
        buf.getBytes(0, out);
        return out;
    }

    private byte[] mutate(byte[] bytes) {
        byte[] out = bytes.clone();
        switch (random.nextInt(6)) {
            case 0 -> {
                return out; // unmodified: the valid path must stay exercised
            }
            case 1 -> {
                for (int n = 1 + random.nextInt(3); n > 0 && out.length > 0; n--) {
                    out[random.nextInt(out.length)] ^= (byte) (1 << random.nextInt(8));
                }
            }
            case 2 -> out = java.util.Arrays.copyOf(out, random.nextInt(out.length + 1));
            case 3 -> {
                byte[] longer = java.util.Arrays.copyOf(out, out.length + 1 + random.nextInt(2000));
                return longer;
            }
            case 4 -> {
                if (out.length > 14) { // splice tag TPIDs into the frame
                    int at = 12 + random.nextInt(out.length - 13);
                    out[at] = (byte) 0x81;
                    out[at + 1] = 0;
                }
            }
            default -> {
                if (out.length > 0) {
                    out[random.nextInt(out.length)] = (byte) random.nextInt(256);
                }
            }
        }
        return out;
    }

    private static long totalFromLocal(TestNode node) {
        long total = node.unassigned().framesFromLocal();
        for (SegmentCounters c : node.counters.segments()) {
            total += c.framesFromLocal.sum();
        }
        return total;
    }

    private static long totalFromTunnel(TestNode node) {
        long total = node.unassigned().framesFromTunnel();
        for (SegmentCounters c : node.counters.segments()) {
            total += c.framesFromTunnel.sum();
        }
        return total;
    }
}

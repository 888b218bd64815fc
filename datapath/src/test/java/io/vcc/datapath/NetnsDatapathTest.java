package io.vcc.datapath;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vcc.datapath.frame.EthernetFrame;
import io.vcc.datapath.frame.Tag;
import io.vcc.datapath.tunnel.TunnelKey;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Real kernels, real packets. Two clouds, each a network namespace holding, per tenant, a VLAN-aware bridge, a
 * kernel VXLAN device pointed at its node's datapath and a VM namespace. Both nodes' datapaths run in this
 * JVM in the root namespace, each listening on the root side of its cloud's uplink veth; their tunnel runs
 * over loopback through a tap that keeps a copy of every datagram.
 *
 * <pre>
 *  [acme VM 10.0.0.5]--br-acme--vx-acme(VNI 5001)\                                /vx-acme(VNI 6001)--br-acme--[acme VM 10.0.0.6 (+.8)]
 *                                      cloud-a ns  uplink == node A ==tap== node B == uplink  cloud-b ns
 *  [globex VM 10.0.0.5 (+.9)]-br-globex-vx-globex(5002)/   (dc 108)   lo    (dc 208)   \vx-globex(6002)-br-globex-[globex VM 10.0.0.6 (+.7)]
 * </pre>
 *
 * Both tenants use the same VM addresses, the same VM MACs and the same VLAN 10. This kernel cannot tag
 * (no 8021q, no bridge VLAN filtering, no tc vlan action), so a {@link VlanShim} per cloud plays the
 * tenants' VLAN switch between the kernel VXLAN devices and the datapath: the tag travels inside VXLAN,
 * through both datapaths and the tunnel as the tenant's own 802.1Q tag, and must come back out intact.
 * The extra addresses (.7, .8, .9) exist in one tenant only, which is how the test proves that nothing
 * crosses over. Reachability is probed the way ping would, but with the JDK alone ({@link VmProbe}: UDP echo
 * from a JVM inside each VM's namespace), so the test needs no tool the repository does not bring.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NetnsDatapathTest {

    private static final String MAC_5 = "02:00:00:00:00:05";
    private static final String MAC_6 = "02:00:00:00:00:06";
    private static final int TENANT_VLAN = 10;
    private static final TunnelKey KEY = new TunnelKey(1, new byte[] {
        11, 22, 33, 44, 55, 66, 77, 88, 99, 110, 121, (byte) 132, (byte) 143, (byte) 154, (byte) 165, (byte) 176});

    private static NetnsLab lab;
    private static Datapath nodeA;
    private static Datapath nodeB;
    private static TunnelTap tap;
    private static VlanShim shimA;
    private static VlanShim shimB;
    private static String acmeA;
    private static String globexA;
    private static String acmeB;
    private static String globexB;
    private static final Map<String, VmProbe> probes = new HashMap<>();

    @BeforeAll
    static void buildTwoClouds() throws Exception {
        Shell.require(Shell.isRoot(), "creating network namespaces needs root (CI runs as root)");
        Shell.require(Shell.hasNetns(), "needs iproute2 with 'ip netns' (Debian: iproute2)");
        try {
            lab = new NetnsLab();
            String cloudA = lab.namespace("ca");
            String cloudB = lab.namespace("cb");
            NetnsLab.Uplink uplinkA = lab.uplink(cloudA, "ua");
            NetnsLab.Uplink uplinkB = lab.uplink(cloudB, "ub");
            nodeA = start(uplinkA.rootAddress(), 108);
            nodeB = start(uplinkB.rootAddress(), 208);
            tap = new TunnelTap(nodeA.tunnelAddress(), nodeB.tunnelAddress());

            nodeA.tagMap().putPeer(new Peer("node-b", 208, tap.towardsB()));
            nodeB.tagMap().putPeer(new Peer("node-a", 108, tap.towardsA()));
            nodeA.tunnelKeys().install("node-b", KEY);
            nodeB.tunnelKeys().install("node-a", KEY);
            shimA = new VlanShim(uplinkA.rootAddress(), nodeA.localVtepAddress(),
                    new InetSocketAddress(uplinkA.cloudAddress(), 4789), TENANT_VLAN);
            shimB = new VlanShim(uplinkB.rootAddress(), nodeB.localVtepAddress(),
                    new InetSocketAddress(uplinkB.cloudAddress(), 4789), TENANT_VLAN);
            InetSocketAddress vtepA = shimA.address();
            InetSocketAddress vtepB = shimB.address();
            nodeA.tagMap().putSegment(new Segment("acme/net", 5001, 100, 200, List.of(vtepA), Set.of("node-b")));
            nodeA.tagMap().putSegment(new Segment("globex/net", 5002, 100, 300, List.of(vtepA), Set.of("node-b")));
            nodeB.tagMap().putSegment(new Segment("acme/net", 6001, 100, 200, List.of(vtepB), Set.of("node-a")));
            nodeB.tagMap().putSegment(new Segment("globex/net", 6002, 100, 300, List.of(vtepB), Set.of("node-a")));

            int portA = shimA.address().getPort();
            int portB = shimB.address().getPort();
            acmeA = lab.tenant(cloudA, uplinkA, "acme", 5001, portA, "aacme", MAC_5, "10.0.0.5");
            globexA = lab.tenant(cloudA, uplinkA, "globex", 5002, portA, "aglobex", MAC_5, "10.0.0.5", "10.0.0.9");
            acmeB = lab.tenant(cloudB, uplinkB, "acme", 6001, portB, "bacme", MAC_6, "10.0.0.6", "10.0.0.8");
            globexB = lab.tenant(cloudB, uplinkB, "globex", 6002, portB, "bglobex", MAC_6, "10.0.0.6", "10.0.0.7");
            for (String vm : List.of(acmeA, globexA, acmeB, globexB)) {
                probes.put(vm, VmProbe.start(vm));
            }
        } catch (Exception | Error e) {
            tearDown();
            throw e;
        }
    }

    @AfterAll
    static void tearDown() throws Exception {
        try {
            probes.values().forEach(VmProbe::close);
            probes.clear();
            if (nodeA != null) {
                nodeA.close();
            }
            if (nodeB != null) {
                nodeB.close();
            }
            if (tap != null) {
                tap.close();
            }
            if (shimA != null) {
                shimA.close();
            }
            if (shimB != null) {
                shimB.close();
            }
        } finally {
            if (lab != null) {
                lab.close();
                assertThat(lab.leftovers()).as("namespaces left behind").isEmpty();
            }
        }
    }

    @Test
    @Order(1)
    void acmeVmsInTheTwoCloudsPingEachOther() {
        assertThat(ping(acmeA, "10.0.0.6")).as("acme 10.0.0.5 (cloud A) -> 10.0.0.6 (cloud B)").isTrue();
        assertThat(ping(acmeB, "10.0.0.5")).as("acme 10.0.0.6 (cloud B) -> 10.0.0.5 (cloud A)").isTrue();
    }

    @Test
    @Order(2)
    void globexWithTheSameAddressesMacsAndVlanReachesItsOwnPeer() {
        assertThat(ping(globexA, "10.0.0.6")).as("globex 10.0.0.5 (cloud A) -> 10.0.0.6 (cloud B)").isTrue();
        assertThat(ping(globexB, "10.0.0.5")).as("globex 10.0.0.6 (cloud B) -> 10.0.0.5 (cloud A)").isTrue();
    }

    @Test
    @Order(3)
    void neitherTenantEverReachesTheOthersVms() {
        // .7 lives only in globex's cloud-B VM, .8 only in acme's, .9 only in globex's cloud-A VM
        assertThat(ping(globexA, "10.0.0.7")).as("globex reaches its own .7").isTrue();
        assertThat(ping(acmeA, "10.0.0.7")).as("acme must not reach globex's .7").isFalse();
        assertThat(ping(acmeA, "10.0.0.8")).as("acme reaches its own .8").isTrue();
        assertThat(ping(globexA, "10.0.0.8")).as("globex must not reach acme's .8").isFalse();
        assertThat(ping(globexB, "10.0.0.9")).as("globex reaches its own .9 (B -> A)").isTrue();
        assertThat(ping(acmeB, "10.0.0.9")).as("acme must not reach globex's .9 (B -> A)").isFalse();

        // and each tenant's ARP answer came from its own VM: the datapaths learned each MAC on its own segment
        assertThat(nodeA.learnedMacs(5001)).extracting(LearnedMac::mac).contains(MAC_5, MAC_6);
        assertThat(nodeA.learnedMacs(5002)).extracting(LearnedMac::mac).contains(MAC_5, MAC_6);
        for (Datapath node : List.of(nodeA, nodeB)) {
            DatapathSnapshot snapshot = node.snapshot();
            assertThat(snapshot.unassigned().dropped()).doesNotContainKeys(DropReason.INTERNAL_ERROR,
                    DropReason.AUTH_FAILED, DropReason.REPLAYED);
            for (SegmentView segment : snapshot.segments()) {
                assertThat(segment.stats().framesToLocal()).as(segment.segment().network()).isPositive();
                assertThat(segment.stats().dropped(DropReason.SEGMENT_NOT_SPANNED)).isZero();
            }
        }
    }

    @Test
    @Order(4)
    void theTunnelCarriesDatacenterHostCustomerAndTheTenantsOwnTag() {
        List<List<Tag>> stacks = new ArrayList<>();
        for (TunnelTap.Captured datagram : tap.captured()) {
            byte[] plain = TwoClouds.openTunnel(datagram.bytes(), KEY);
            ByteBuf frame = Unpooled.wrappedBuffer(plain);
            stacks.add(EthernetFrame.decode(frame, 0, plain.length, 6).tags());
            // the datacenter tag names the receiving node's datacenter
            assertThat(stacks.get(stacks.size() - 1).get(0)).isEqualTo(Tag.dot1ad(datagram.fromA() ? 208 : 108));
        }
        assertThat(stacks).isNotEmpty();
        assertThat(stacks).contains(
                List.of(Tag.dot1ad(208), Tag.dot1ad(100), Tag.dot1q(200), Tag.dot1q(TENANT_VLAN)),
                List.of(Tag.dot1ad(208), Tag.dot1ad(100), Tag.dot1q(300), Tag.dot1q(TENANT_VLAN)),
                List.of(Tag.dot1ad(108), Tag.dot1ad(100), Tag.dot1q(200), Tag.dot1q(TENANT_VLAN)),
                List.of(Tag.dot1ad(108), Tag.dot1ad(100), Tag.dot1q(300), Tag.dot1q(TENANT_VLAN)));
        assertThat(stacks).allSatisfy(tags -> assertThat(tags).hasSize(4));
        // the tenant's tag came out of the far datapath on every frame
        assertThat(shimA.untaggedFromDatapath() + shimB.untaggedFromDatapath()).isZero();
        assertThat(shimA.untagged()).isPositive();
        assertThat(shimB.untagged()).isPositive();
    }

    /** Up to three echo requests from inside {@code vm}, each waited for 2 s at most. */
    private static boolean ping(String vm, String address) {
        return probes.get(vm).reaches(address);
    }

    private static Datapath start(InetAddress underlay, int datacenterTag) {
        return Datapath.start(DatapathConfig.builder()
                .localVtep(new InetSocketAddress(underlay, 0))
                .tunnel(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .datacenterTag(datacenterTag)
                .eventLoops(2)
                .build());
    }
}

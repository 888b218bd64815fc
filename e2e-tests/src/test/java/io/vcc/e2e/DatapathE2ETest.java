package io.vcc.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.vcc.api.datapath.DatapathState;
import io.vcc.node.adapter.DatapathAdapter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Issue 4 end to end: a server and two VCC nodes with their datapaths on loopback. The server allocates the
 * tags of two tenants' networks on the same VLAN and programs both nodes; a VXLAN frame from cloud A's VTEP
 * (a plain UDP socket) comes out at cloud B's VTEP of the same tenant, tags popped and byte-identical,
 * while the other tenant's VTEP receives nothing. A node that restarts (its tag map and keys live in memory)
 * is programmed again by the server on its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DatapathE2ETest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @TempDir
    static Path home;

    private VccCluster cluster;
    private String server;
    private Api admin;
    private ConfigurableApplicationContext nodeA;
    private ConfigurableApplicationContext nodeB;
    private String cloudA;
    private String cloudB;
    private String acme;
    private String globex;
    private final Vtep acmeA = new Vtep();
    private final Vtep acmeB = new Vtep();
    private final Vtep globexA = new Vtep();
    private final Vtep globexB = new Vtep();

    @BeforeAll
    void startSystem() {
        cluster = new VccCluster(home);
        int serverPort = VccCluster.freePort();
        server = "http://localhost:" + serverPort;
        // Every node and VTEP of this test shares 127.0.0.1: a lab, which must say so to get loopback VTEPs.
        cluster.server(serverPort, "--vcc.networks.loopback-vteps=true");
        admin = Api.basic(server, "admin", VccCluster.ADMIN_PASSWORD);
        nodeA = datapathNode("dp-a", server);
        nodeB = datapathNode("dp-b", server);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(admin.get("/api/v1/nodes").json().findValuesAsString("status")).containsExactly("RUNNING", "RUNNING"));
        cloudA = admin.cloudId("dp-a");
        cloudB = admin.cloudId("dp-b");
        for (String cloud : new String[] {cloudA, cloudB}) {
            Api.Response allowed = admin.send("PATCH", "/api/v1/clouds/" + cloud, "{\"vtepRanges\":[\"127.0.0.0/8\"]}", "application/json");
            assertThat(allowed.status()).as(allowed.toString()).isEqualTo(200);
        }
        acme = admin.post("/api/v1/tenants", "{\"name\":\"acme\"}").created().path("id").asString();
        globex = admin.post("/api/v1/tenants", "{\"name\":\"globex\"}").created().path("id").asString();
    }

    @AfterAll
    void stopSystem() {
        for (Vtep vtep : new Vtep[] {acmeA, acmeB, globexA, globexB}) {
            vtep.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void aFrameCrossesCloudsOnItsTenantsNetworkOnlyAndTheNodesCountIt() {
        JsonNode acmeNet = admin.post("/api/v1/networks", network(acme, "web", 100, acmeA, acmeB)).created();
        JsonNode globexNet = admin.post("/api/v1/networks", network(globex, "web", 100, globexA, globexB)).created();
        assertThat(acmeNet.path("hostTag").asInt()).isNotEqualTo(globexNet.path("hostTag").asInt());
        int acmeVniA = span(acmeNet, cloudA).path("vni").asInt();
        int acmeVniB = span(acmeNet, cloudB).path("vni").asInt();
        int globexVniA = span(globexNet, cloudA).path("vni").asInt();
        int globexVniB = span(globexNet, cloudB).path("vni").asInt();

        JsonNode traffic = admin.get("/api/v1/networks/" + acmeNet.path("id").asString() + "/datapath").json();
        InetSocketAddress nodeAVtep = hostPort(spanOf(traffic, cloudA).path("localVtep").asString());
        assertThat(spanOf(traffic, cloudB).path("tunnel").asString()).startsWith("127.0.0.1:");
        assertThat(spanOf(traffic, cloudA).path("mtu").path("maxTenantMtu").asInt()).isPositive();

        // Node A's own VXLAN socket and node B's tunnel as a tenant's VTEP in their clouds: refused, nothing allocated.
        String[][] ownAddresses = {
                {cloudA, spanOf(traffic, cloudA).path("localVtep").asString()},
                {cloudB, spanOf(traffic, cloudB).path("tunnel").asString()}};
        for (String[] own : ownAddresses) {
            Api.Response refused = admin.post("/api/v1/networks", "{\"tenantId\":\"" + acme + "\",\"name\":\"loop\",\"vlanId\":300,"
                    + "\"clouds\":[{\"cloudId\":\"" + own[0] + "\",\"localVteps\":[\"" + own[1] + "\"]}]}");
            assertThat(refused.status()).as(own[1] + ": " + refused).isEqualTo(400);
            assertThat(refused.problemType()).isEqualTo("urn:vcc:problem:validation");
            assertThat(refused.body()).contains("address of the node");
        }
        // A network whose VMs' MTU is more than node A's tunnel carries: refused, nothing allocated or programmed.
        int maxTenantMtu = spanOf(traffic, cloudA).path("mtu").path("maxTenantMtu").asInt();
        assertThat(acmeNet.path("mtu").asInt()).as("the default").isEqualTo(1400).isLessThanOrEqualTo(maxTenantMtu);
        String tooLarge = network(acme, "jumbo", 400, acmeA, acmeB);
        Api.Response refusedMtu = admin.post("/api/v1/networks", tooLarge.replace("\"vlanId\"", "\"mtu\":" + (maxTenantMtu + 1) + ",\"vlanId\""));
        assertThat(refusedMtu.status()).as(refusedMtu.toString()).isEqualTo(409);
        assertThat(refusedMtu.problemType()).isEqualTo("urn:vcc:problem:mtu-too-large");
        assertThat(refusedMtu.body()).contains("carries a VM MTU of " + maxTenantMtu + " at most");
        assertThat(admin.get("/api/v1/networks").json().size()).isEqualTo(2);
        JsonNode fitting = admin.post("/api/v1/networks", tooLarge.replace("\"vlanId\"", "\"mtu\":" + maxTenantMtu + ",\"vlanId\"")).created();
        assertThat(fitting.path("mtu").asInt()).isEqualTo(maxTenantMtu);
        assertThat(admin.delete("/api/v1/networks/" + fitting.path("id").asString()).status()).isEqualTo(204);

        byte[] frame = ethernet("0a:00:00:00:0b:01", "0a:00:00:00:0a:01", "acme says hello");
        acmeA.send(vxlan(acmeVniA, frame), nodeAVtep);
        byte[] arrived = acmeB.receive();
        assertThat(arrived).as("a datagram at acme's VTEP in cloud B").isNotNull();
        assertThat(vniOf(arrived)).isEqualTo(acmeVniB);
        assertThat(Arrays.copyOfRange(arrived, 8, arrived.length)).isEqualTo(frame);

        // Globex's VTEPs saw nothing, and its segments counted nothing: same VLAN, other tags.
        assertThat(globexB.poll()).isNull();
        assertThat(globexA.poll()).isNull();
        DatapathState b = nodeB.getBean(DatapathAdapter.class).state();
        assertThat(b.segment(globexVniB).counters().framesToLocal()).isZero();
        assertThat(b.segment(acmeVniB).counters().framesToLocal()).isEqualTo(1);

        // The counters moved on both sides, as the server shows them to the tenant...
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode now = admin.get("/api/v1/networks/" + acmeNet.path("id").asString() + "/datapath").json();
            JsonNode fromA = spanOf(now, cloudA).path("segment").path("counters");
            JsonNode atB = spanOf(now, cloudB).path("segment").path("counters");
            assertThat(fromA.path("framesFromLocal").asLong()).isEqualTo(1);
            assertThat(fromA.path("framesToTunnel").asLong()).isEqualTo(1);
            assertThat(atB.path("framesFromTunnel").asLong()).isEqualTo(1);
            assertThat(atB.path("bytesToLocal").asLong()).isEqualTo(frame.length);
        });
        // ...and as the node's Actuator meters.
        assertThat(nodeA.getBean(MeterRegistry.class).get("vcc.datapath.frames.received")
                .tags("segment", Integer.toString(acmeVniA), "from", "local").functionCounter().count()).isEqualTo(1.0);

        // Globex's own frame travels on globex's network, to globex's VTEP only.
        byte[] globexFrame = ethernet("0a:00:00:00:0b:01", "0a:00:00:00:0a:01", "globex, same MACs, same VLAN");
        globexA.send(vxlan(globexVniA, globexFrame), nodeAVtep);
        byte[] globexArrived = globexB.receive();
        assertThat(vniOf(globexArrived)).isEqualTo(globexVniB);
        assertThat(Arrays.copyOfRange(globexArrived, 8, globexArrived.length)).isEqualTo(globexFrame);
        assertThat(acmeB.poll()).isNull();

        // A key rotation while traffic flows: both nodes move to the new key id and frames still cross.
        JsonNode rotated = admin.post("/api/v1/networks/" + acmeNet.path("id").asString() + "/tunnel-keys/rotation", null).json();
        int keyId = rotated.get(0).path("keyId").asInt();
        DatapathState a = nodeA.getBean(DatapathAdapter.class).state();
        assertThat(a.peers()).singleElement().satisfies(peer -> {
            assertThat(peer.currentKeyId()).isEqualTo(keyId);
            assertThat(peer.previousKeyId()).isNull();
        });
        byte[] afterRotation = ethernet("0a:00:00:00:0b:01", "0a:00:00:00:0a:01", "after rotation");
        acmeA.send(vxlan(acmeVniA, afterRotation), nodeAVtep);
        byte[] rotatedArrival = acmeB.receive();
        assertThat(Arrays.copyOfRange(rotatedArrival, 8, rotatedArrival.length)).isEqualTo(afterRotation);

        // Deleting the networks unprograms both nodes and releases every tag.
        assertThat(admin.delete("/api/v1/networks/" + acmeNet.path("id").asString()).status()).isEqualTo(204);
        assertThat(admin.delete("/api/v1/networks/" + globexNet.path("id").asString()).status()).isEqualTo(204);
        DatapathState emptied = nodeB.getBean(DatapathAdapter.class).state();
        assertThat(emptied.segments()).isEmpty();
        assertThat(emptied.peers()).isEmpty();
        assertThat(admin.get("/api/v1/networks").json().size()).isZero();
    }

    @Test
    @Order(2)
    void aRestartedNodeIsProgrammedAgainWithoutAnyoneAsking() {
        JsonNode net = admin.post("/api/v1/networks", network(acme, "db", 200, acmeA, acmeB)).created();
        int vniA = span(net, cloudA).path("vni").asInt();
        int vniB = span(net, cloudB).path("vni").asInt();
        InetSocketAddress nodeAVtep = hostPort(spanOf(admin.get("/api/v1/networks/" + net.path("id").asString() + "/datapath").json(),
                cloudA).path("localVtep").asString());

        int port = nodeB.getEnvironment().getProperty("local.server.port", Integer.class);
        cluster.stop(nodeB);
        nodeB = cluster.vccNode("dp-b", port, "http://localhost:" + port, server, null, "PUBLIC", DATAPATH_SETTINGS);
        await().atMost(Duration.ofSeconds(30)).until(() -> nodeB.getBean(DatapathAdapter.class).state().segments().stream()
                .anyMatch(segment -> segment.vni() == vniB));

        byte[] frame = ethernet("0a:00:00:00:0b:02", "0a:00:00:00:0a:02", "after node B restarted");
        acmeA.send(vxlan(vniA, frame), nodeAVtep);
        byte[] arrived = acmeB.receive();
        assertThat(arrived).as("a datagram at acme's VTEP in cloud B after B restarted").isNotNull();
        assertThat(vniOf(arrived)).isEqualTo(vniB);
        assertThat(Arrays.copyOfRange(arrived, 8, arrived.length)).isEqualTo(frame);
        assertThat(admin.delete("/api/v1/networks/" + net.path("id").asString()).status()).isEqualTo(204);
    }

    private static final String[] DATAPATH_SETTINGS = {
            "--vcc.datapath.enabled=true",
            "--vcc.datapath.local-vtep=127.0.0.1:0",
            "--vcc.datapath.tunnel=127.0.0.1:0",
            "--vcc.datapath.event-loops=1"};

    private ConfigurableApplicationContext datapathNode(String name, String server) {
        int port = VccCluster.freePort();
        return cluster.vccNode(name, port, "http://localhost:" + port, server, admin.registrationToken(name), "PUBLIC", DATAPATH_SETTINGS);
    }

    private String network(String tenantId, String name, int vlan, Vtep inA, Vtep inB) {
        return "{\"tenantId\":\"" + tenantId + "\",\"name\":\"" + name + "\",\"vlanId\":" + vlan + ",\"clouds\":["
                + "{\"cloudId\":\"" + cloudA + "\",\"localVteps\":[\"" + inA.hostPort() + "\"]},"
                + "{\"cloudId\":\"" + cloudB + "\",\"localVteps\":[\"" + inB.hostPort() + "\"]}]}";
    }

    private static JsonNode span(JsonNode network, String cloudId) {
        return spanOf(network.path("clouds"), cloudId);
    }

    private static JsonNode spanOf(JsonNode spans, String cloudId) {
        for (JsonNode span : spans) {
            if (span.path("cloudId").asString().equals(cloudId)) {
                return span;
            }
        }
        throw new AssertionError("no span in cloud " + cloudId + ": " + spans);
    }

    private static InetSocketAddress hostPort(String value) {
        int colon = value.lastIndexOf(':');
        return new InetSocketAddress(value.substring(0, colon), Integer.parseInt(value.substring(colon + 1)));
    }

    /** An untagged Ethernet frame (IPv4 EtherType) with the payload padded to the 46-octet minimum. */
    private static byte[] ethernet(String destination, String source, String payload) {
        byte[] text = payload.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer frame = ByteBuffer.allocate(14 + Math.max(46, text.length));
        frame.put(mac(destination)).put(mac(source)).putShort((short) 0x0800).put(text);
        return frame.array();
    }

    private static byte[] mac(String text) {
        String[] parts = text.split(":");
        byte[] mac = new byte[6];
        for (int i = 0; i < 6; i++) {
            mac[i] = (byte) Integer.parseInt(parts[i], 16);
        }
        return mac;
    }

    /** RFC 7348: flags with only the I bit, 24 reserved bits, the VNI, 8 reserved bits, then the frame. */
    private static byte[] vxlan(int vni, byte[] frame) {
        return ByteBuffer.allocate(8 + frame.length).put((byte) 0x08).put(new byte[3]).putInt(vni << 8).put(frame).array();
    }

    private static int vniOf(byte[] datagram) {
        return ByteBuffer.wrap(datagram, 4, 4).getInt() >>> 8;
    }

    /** A local cloud's VTEP: a UDP socket on loopback. */
    private static final class Vtep implements AutoCloseable {

        private final DatagramSocket socket;

        Vtep() {
            try {
                socket = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        String hostPort() {
            return LOOPBACK.getHostAddress() + ":" + socket.getLocalPort();
        }

        void send(byte[] datagram, InetSocketAddress to) {
            try {
                socket.send(new DatagramPacket(datagram, datagram.length, to));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The next datagram, or null when none came within 10 s: a bound on a wait, not a measurement. */
        byte[] receive() {
            return receive(10_000);
        }

        /** Whatever is already queued, without waiting for more. */
        byte[] poll() {
            return receive(1);
        }

        private byte[] receive(int timeoutMillis) {
            byte[] buffer = new byte[65_535];
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.setSoTimeout(timeoutMillis);
                socket.receive(packet);
                return Arrays.copyOf(buffer, packet.getLength());
            } catch (SocketTimeoutException e) {
                return null;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
            socket.close();
        }
    }
}

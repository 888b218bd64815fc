package io.vcc.e2e;

import static io.vcc.e2e.NetnsStretchLab.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vcc.api.datapath.SegmentInfo;
import io.vcc.api.node.SegmentPort;
import io.vcc.node.adapter.DatapathAdapter;
import io.vcc.node.adapter.TenantSegments;
import java.io.IOException;
import java.io.StringReader;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.libvirt.Connect;
import org.libvirt.Library;
import org.libvirt.LibvirtException;
import org.springframework.context.ConfigurableApplicationContext;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import tools.jackson.databind.JsonNode;

/**
 * A stretch deploy from the simulated cloud into a cloud whose node keeps its VMs as libvirt domains
 * ({@code test:///default}, in this JVM) with its NICs on tenant segments ({@code vcc.libvirt.segments.enabled}):
 * the VM becomes a running domain there with the same MAC, its interface on the segment's Linux bridge
 * {@code vsb<vni>}, which the node makes on the host with its kernel VXLAN device {@code vsx<vni>} towards its
 * datapath while the NIC is there; the reverse brings the VM back to the simulated cloud with its MAC and IP and
 * takes the last NIC off the segment, and the bridge and VXLAN device go with it (seed 003's per-account bridge
 * lifecycle, per segment). {@code test:///default} runs no guest, so, as in {@code LibvirtSegmentsTest}, a network
 * namespace of the test's own on the bridge with the VM's MAC and IP stands in for the guest's kernel that the
 * cut-over's probe must reach. Needs libvirt0 (mandatory with {@code VCC_REQUIRE_LIBVIRT=1}), root and iproute2
 * (mandatory with {@code VCC_REQUIRE_NETNS=1}); skipped with the reason printed otherwise.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LibvirtStretchE2ETest {

    /** What the libvirt node's kernel VXLAN devices send from, as it reports it for the segments (port 4789). */
    private static final String KERNEL_VTEP = "127.0.0.1:4789";
    /** The namespace and veth (host end) standing in for the guest of the stretched domain. */
    private static final String GUEST = "vcc-lvst-guest";
    private static final String GUEST_PORT = "vslvst-guest";

    @TempDir
    static Path home;

    private VccCluster cluster;
    private Api admin;
    private Connect libvirt;
    private ConfigurableApplicationContext simNode;
    private ConfigurableApplicationContext libvirtNode;
    private int datapathPort;
    private String simCloud;
    private String libvirtCloud;
    private String simVdc;
    private String libvirtVdc;
    private String networkId;
    private String vmId;
    private String mac;
    private String ip;
    private String stretchId;
    private String stretchedId;
    private int vni = -1;
    /** The segment bridges and VXLAN devices on the host before anything was stretched. */
    private Set<String> linksBefore;
    /** Segments of the libvirt node this class may have caused devices for: what the clean-up removes. */
    private final Set<Integer> knownVnis = new java.util.concurrent.ConcurrentSkipListSet<>();
    /** Domains this class may have caused: what the clean-up undefines if the product did not. */
    private final Set<String> knownDomains = new TreeSet<>();

    @BeforeAll
    void startSystem() throws LibvirtException {
        requireLibvirt();
        requireRootAndIp();
        cluster = new VccCluster(home);
        int serverPort = VccCluster.freePort();
        String server = "http://localhost:" + serverPort;
        cluster.server(serverPort, "--vcc.transfers.poll-interval=200ms", "--vcc.stretch.poll-interval=50ms",
                "--vcc.stretch.answer-wait=20s", "--db-scheduler.polling-interval=200ms");
        admin = Api.basic(server, "admin", VccCluster.ADMIN_PASSWORD);
        datapathPort = freeUdpPort();
        simNode = node("lvst-sim", server, "--vcc.datapath.local-vtep=127.0.0.1:0",
                "--vcc.sim.segments.vteps=127.0.0.1:" + (20_000 + ThreadLocalRandom.current().nextInt(20_000)));
        // The kernel VXLAN devices send every frame to the datapath's local VTEP: the same address on both sides.
        libvirtNode = node("lvst-libvirt", server, "--vcc.datapath.local-vtep=127.0.0.1:" + datapathPort,
                "--vcc.adapters.hypervisor=libvirt", "--vcc.libvirt.uri=test:///default", "--vcc.libvirt.shutdown-timeout=2s",
                "--vcc.libvirt.segments.enabled=true", "--vcc.libvirt.segments.local-address=127.0.0.1",
                "--vcc.libvirt.segments.datapath=127.0.0.1:" + datapathPort);
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                assertThat(admin.get("/api/v1/nodes").json().findValuesAsString("status")).containsExactly("RUNNING", "RUNNING"));
        simCloud = admin.cloudId("lvst-sim");
        libvirtCloud = admin.cloudId("lvst-libvirt");
        String acme = admin.post("/api/v1/tenants", "{\"name\":\"acme\"}").created().path("id").asString();
        simVdc = admin.post("/api/v1/vdcs", vdc(acme, simCloud, "acme-sim")).created().path("id").asString();
        libvirtVdc = admin.post("/api/v1/vdcs", vdc(acme, libvirtCloud, "acme-lv")).created().path("id").asString();
        networkId = admin.post("/api/v1/networks", "{\"tenantId\":\"" + acme + "\",\"name\":\"web\",\"vlanId\":10,"
                + "\"clouds\":[{\"cloudId\":\"" + simCloud + "\"}]}").created().path("id").asString();
        Api.Response backed = admin.send("PUT", "/api/v1/vdcs/" + simVdc + "/segment-networks/web", "{\"networkId\":\"" + networkId
                + "\",\"cidr\":\"192.168.10.0/24\",\"gateway\":\"192.168.10.1\",\"rules\":[]}", "application/json");
        assertThat(backed.status()).as(backed.toString()).isEqualTo(200);
        // The node's connection keeps test:///default's state; this one sees the same domains.
        libvirt = new Connect("test:///default");
    }

    @AfterAll
    void stopSystem() {
        try {
            if (admin != null && networkId != null) {
                try {
                    // Whatever span the network still has in the libvirt cloud (a run that failed midway).
                    for (JsonNode span : admin.get("/api/v1/networks/" + networkId).json().path("clouds")) {
                        if (span.path("cloudId").asString().equals(libvirtCloud)) {
                            knownVnis.add(span.path("vni").asInt());
                        }
                    }
                } catch (RuntimeException | AssertionError e) {
                    System.out.println("Clean-up: the network's spans cannot be read: " + e);
                }
            }
            if (cluster != null) {
                cluster.close();
            }
        } finally {
            removeGuest();
            if (libvirt != null) {
                for (String domain : knownDomains) {
                    try {
                        var left = libvirt.domainLookupByUUIDString(domain);
                        if (left.isActive() == 1) {
                            left.destroy();
                        }
                        left.undefine();
                    } catch (LibvirtException e) {
                        // gone already, as it should be
                    }
                }
                try {
                    libvirt.close();
                } catch (LibvirtException e) {
                    System.out.println("Clean-up: closing libvirt: " + e);
                }
            }
            // Only devices named after this class's segments, and only those that exist.
            for (int segment : knownVnis) {
                for (String link : List.of("vsx" + segment, "vsb" + segment, "vsq" + segment)) {
                    if (Files.exists(Path.of("/sys/class/net", link))) {
                        System.out.println("Clean-up: removing " + link + ", left behind");
                        run("ip", "link", "del", link);
                    }
                }
                if (run("ip", "netns", "list").contains("vcc-sp-" + segment)) {
                    run("ip", "netns", "del", "vcc-sp-" + segment);
                }
            }
        }
    }

    @Test
    @Order(1)
    void aPoweredOnVmOnTheSimulatedCloudsSegment() {
        JsonNode vm = admin.post("/api/v1/vdcs/" + simVdc + "/vms",
                "{\"name\":\"web01\",\"cpus\":1,\"memoryMb\":512,\"diskGb\":1,\"network\":\"web\"}").created();
        vmId = vm.path("id").asString();
        mac = vm.path("nics").get(0).path("mac").asString();
        ip = vm.path("nics").get(0).path("ip").asString();
        assertThat(mac).matches("[0-9a-f]{2}(:[0-9a-f]{2}){5}");
        assertThat(ip).startsWith("192.168.10.");
        Api.Response on = admin.post("/api/v1/vdcs/" + simVdc + "/vms/" + vmId + "/power", "{\"state\":\"POWERED_ON\"}");
        assertThat(on.status()).as(on.toString()).isEqualTo(200);
        assertThat(simNode.getBean(TenantSegments.class).ports()).extracting(SegmentPort::vmId, SegmentPort::mac, SegmentPort::ip, SegmentPort::up)
                .containsExactly(tuple(vmId, mac, ip, true));
        assertThat(libvirtNode.getBean(TenantSegments.class).ports()).isEmpty();
        linksBefore = segmentLinks();
    }

    @Test
    @Order(2)
    void theVmBecomesARunningDomainWithItsMacOnTheSegmentsBridgeWithItsVxlanDevice() throws Exception {
        assertThat(vmId).as("the VM of the first test").isNotNull();
        Api.Response accepted = admin.post("/api/v1/stretch-deploys", "{\"sourceVdcId\":\"" + simVdc + "\",\"vmId\":\"" + vmId
                + "\",\"targetVdcId\":\"" + libvirtVdc + "\"}");
        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
        stretchId = accepted.text("id");
        AtomicReference<String> guestProblem = new AtomicReference<>();
        AtomicBoolean stretching = new AtomicBoolean(true);
        Thread guest = new Thread(() -> plugGuestOnceTheBridgeIsThere(stretchId, stretching, guestProblem), "lvst-guest");
        guest.setDaemon(true);
        guest.start();
        JsonNode done;
        try {
            done = awaitEnd(stretchId);
        } finally {
            stretching.set(false);
            guest.join(10_000);
        }
        done.path("outputs").path("targetVmIds").forEach(id -> knownDomains.add(id.asString()));
        assertThat(guestProblem.get()).as("the guest's stand-in on the bridge").isNull();
        assertThat(done.path("state").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
        assertThat(done.path("outputs").path("runningAt").asString()).isEqualTo("target");

        // The server answers the VM in the libvirt cloud with the same MAC and IP, powered on; the source is gone.
        stretchedId = done.path("outputs").path("targetVmId").asString();
        JsonNode moved = admin.get("/api/v1/vdcs/" + libvirtVdc + "/vms/" + stretchedId).json();
        assertThat(moved.path("state").asString()).isEqualTo("POWERED_ON");
        assertThat(moved.path("nics")).hasSize(1);
        assertThat(moved.path("nics").get(0).path("mac").asString()).isEqualTo(mac);
        assertThat(moved.path("nics").get(0).path("ip").asString()).isEqualTo(ip);
        assertThat(admin.get("/api/v1/vdcs/" + simVdc + "/vms/" + vmId).status()).isEqualTo(404);

        JsonNode network = admin.get("/api/v1/networks/" + networkId).json();
        assertThat(network.path("clouds").findValuesAsString("cloudId")).containsExactlyInAnyOrder(simCloud, libvirtCloud);
        JsonNode span = span(network, libvirtCloud);
        vni = span.path("vni").asInt();
        knownVnis.add(vni);
        assertThat(done.path("outputs").path("targetVni").asInt()).isEqualTo(vni);
        assertThat(span.path("localVteps").get(0).asString()).as("the kernel VXLAN devices' VTEP, as the node reports it").isEqualTo(KERNEL_VTEP);

        // libvirt: a running domain, its only interface a bridge interface with the MAC on the segment's bridge.
        var domain = libvirt.domainLookupByUUIDString(stretchedId);
        assertThat(domain.isActive()).as("the domain runs").isEqualTo(1);
        Document xml = DocumentBuilderFactory.newDefaultNSInstance().newDocumentBuilder()
                .parse(new InputSource(new StringReader(domain.getXMLDesc(0))));
        NodeList interfaces = ((Element) xml.getDocumentElement().getElementsByTagName("devices").item(0)).getElementsByTagName("interface");
        assertThat(interfaces.getLength()).isEqualTo(1);
        Element nic = (Element) interfaces.item(0);
        assertThat(nic.getAttribute("type")).isEqualTo("bridge");
        assertThat(((Element) nic.getElementsByTagName("mac").item(0)).getAttribute("address")).isEqualTo(mac);
        assertThat(((Element) nic.getElementsByTagName("source").item(0)).getAttribute("bridge")).isEqualTo("vsb" + vni);
        int mtu = network.path("mtu").asInt();
        assertThat(mtu).as("the network's MTU").isPositive();
        assertThat(((Element) nic.getElementsByTagName("mtu").item(0)).getAttribute("size")).as("the interface's MTU")
                .isEqualTo(Integer.toString(mtu));
        NodeList placed = xml.getElementsByTagNameNS("urn:vcc:node:libvirt:1", "nic");
        assertThat(placed.getLength()).isEqualTo(1);
        Element record = (Element) placed.item(0);
        assertThat(List.of(record.getAttribute("mac"), record.getAttribute("ip"), record.getAttribute("network"), record.getAttribute("vni")))
                .as("the domain's own record of the NIC").containsExactly(mac, ip, "web", Integer.toString(vni));

        // The host: the bridge and its VXLAN device, made by the stretch, towards the node's datapath.
        assertThat(linksBefore).doesNotContain("vsb" + vni, "vsx" + vni);
        assertThat(Path.of("/sys/class/net/vsb" + vni + "/bridge")).as("vsb%d is a Linux bridge", vni).isDirectory();
        assertThat(Path.of("/sys/class/net/vsx" + vni + "/master").toRealPath().getFileName().toString()).isEqualTo("vsb" + vni);
        String vxlan = run("ip", "-d", "link", "show", "vsx" + vni);
        assertThat(vxlan).contains("vxlan id " + vni + " ", "local 127.0.0.1", "dstport 4789", "master vsb" + vni);
        assertThat(run("bridge", "fdb", "show", "dev", "vsx" + vni)).contains("00:00:00:00:00:00", "dst 127.0.0.1", "port " + datapathPort);
        assertThat(Path.of("/sys/class/net/vsb" + vni + "/brif/vsx" + vni)).as("the VXLAN device is a port of the bridge").exists();

        // The node: its NIC on the segment, up; its datapath carries the segment to the kernel VTEP and to the peer.
        assertThat(libvirtNode.getBean(TenantSegments.class).ports()).extracting(SegmentPort::vni, SegmentPort::vmId, SegmentPort::mac,
                SegmentPort::ip, SegmentPort::up).containsExactly(tuple(vni, stretchedId, mac, ip, true));
        SegmentInfo segment = libvirtNode.getBean(DatapathAdapter.class).state().segment(vni);
        assertThat(segment).as("segment %d in the libvirt node's datapath", vni).isNotNull();
        assertThat(segment.localVteps()).containsExactly(KERNEL_VTEP);
        assertThat(segment.peers()).hasSize(1);
        assertThat(simNode.getBean(TenantSegments.class).ports()).isEmpty();
    }

    @Test
    @Order(3)
    void theReverseBringsItBackWithItsMacAndIpAndTheBridgeGoesWithTheLastNic() {
        assertThat(stretchedId).as("the stretch of the second test").isNotNull();
        // The guest's stand-in goes; the NIC is still on the segment, so the bridge and VXLAN device stay.
        removeGuest();
        assertThat(Path.of("/sys/class/net/vsb" + vni)).exists();
        assertThat(Path.of("/sys/class/net/vsx" + vni)).exists();

        Api.Response accepted = admin.post("/api/v1/stretch-deploys/" + stretchId + "/reverse", null);
        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
        JsonNode done = awaitEnd(accepted.text("id"));
        assertThat(done.path("state").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
        assertThat(done.path("outputs").path("runningAt").asString()).isEqualTo("target");
        assertThat(done.path("outputs").path("retracted").asBoolean()).as("the network leaves the libvirt cloud").isTrue();

        String backId = done.path("outputs").path("targetVmId").asString();
        JsonNode back = admin.get("/api/v1/vdcs/" + simVdc + "/vms/" + backId).json();
        assertThat(back.path("state").asString()).isEqualTo("POWERED_ON");
        assertThat(back.path("nics")).hasSize(1);
        assertThat(back.path("nics").get(0).path("mac").asString()).isEqualTo(mac);
        assertThat(back.path("nics").get(0).path("ip").asString()).isEqualTo(ip);
        assertThat(simNode.getBean(TenantSegments.class).ports()).extracting(SegmentPort::vmId, SegmentPort::mac, SegmentPort::ip, SegmentPort::up)
                .containsExactly(tuple(backId, mac, ip, true));

        assertThat(admin.get("/api/v1/vdcs/" + libvirtVdc + "/vms").json().size()).isZero();
        assertThat(admin.get("/api/v1/vdcs/" + libvirtVdc + "/vms/" + stretchedId).status()).isEqualTo(404);
        assertThatThrownBy(() -> libvirt.domainLookupByUUIDString(stretchedId)).as("the domain is undefined").isInstanceOf(LibvirtException.class);
        assertThat(libvirtNode.getBean(TenantSegments.class).ports()).isEmpty();
        assertThat(libvirtNode.getBean(DatapathAdapter.class).state().segments()).isEmpty();
        assertThat(admin.get("/api/v1/networks/" + networkId).json().path("clouds").findValuesAsString("cloudId")).containsExactly(simCloud);
        assertThat(admin.get("/api/v1/vdcs/" + libvirtVdc + "/segment-networks").json().size()).isZero();

        // The last NIC left the segment: its bridge and VXLAN device are gone from the host, and nothing else of it.
        assertThat(Path.of("/sys/class/net/vsb" + vni)).doesNotExist();
        assertThat(Path.of("/sys/class/net/vsx" + vni)).doesNotExist();
        assertThat(run("ip", "-d", "link", "show", "type", "vxlan")).doesNotContain("vxlan id " + vni + " ");
        assertThat(segmentLinks()).isEqualTo(linksBefore);
        assertThat(run("ip", "netns", "list")).doesNotContain("vcc-sp-" + vni);
    }

    // ---- the guest's stand-in --------------------------------------------------------------------------

    /**
     * Once the stretch has named the segment's VNI in the libvirt cloud and the node has made its bridge, plugs a
     * namespace with the VM's MAC and IP into it: what the domain's guest would be, had test:///default one.
     */
    private void plugGuestOnceTheBridgeIsThere(String operation, AtomicBoolean stretching, AtomicReference<String> problem) {
        try {
            int segment = -1;
            while (stretching.get()) {
                if (segment < 0) {
                    JsonNode targetVni = admin.get("/api/v1/operations/" + operation).json().path("outputs").path("targetVni");
                    if (targetVni.isNumber()) {
                        segment = targetVni.asInt();
                        knownVnis.add(segment);
                    }
                } else if (Files.isDirectory(Path.of("/sys/class/net/vsb" + segment + "/bridge"))) {
                    removeGuest();
                    must("ip", "netns", "add", GUEST);
                    must("ip", "link", "add", GUEST_PORT, "type", "veth", "peer", "name", "eth0", "netns", GUEST);
                    must("ip", "link", "set", GUEST_PORT, "master", "vsb" + segment, "up");
                    must("ip", "-n", GUEST, "link", "set", "eth0", "address", mac);
                    must("ip", "-n", GUEST, "addr", "add", ip + "/24", "dev", "eth0");
                    must("ip", "-n", GUEST, "link", "set", "eth0", "up");
                    return;
                }
                Thread.sleep(50);
            }
            problem.set("the stretch ended before the bridge of its segment (VNI " + segment + ") was there");
        } catch (Exception | AssertionError e) {
            problem.set(e.toString());
        }
    }

    private static void removeGuest() {
        if (run("ip", "netns", "list").contains(GUEST)) {
            run("ip", "netns", "del", GUEST);
        }
        if (Files.exists(Path.of("/sys/class/net", GUEST_PORT))) {
            run("ip", "link", "del", GUEST_PORT);
        }
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private static void requireLibvirt() {
        try {
            Library.getVersion();
        } catch (LinkageError | LibvirtException e) {
            skipUnlessRequired("VCC_REQUIRE_LIBVIRT", "libvirt.so.0 cannot be loaded (install libvirt0): " + e);
        }
    }

    /** The node makes bridges and VXLAN devices on the host, and the test its guest's namespace: root and iproute2. */
    private static void requireRootAndIp() {
        String missing = NetnsStretchLab.unavailable();
        if (missing != null) {
            skipUnlessRequired("VCC_REQUIRE_NETNS", missing);
        }
    }

    private static void skipUnlessRequired(String variable, String problem) {
        String message = problem + "; skipping the libvirt stretch e2e test";
        if ("1".equals(System.getenv(variable))) {
            fail(message + ", and " + variable + "=1 requires it");
        }
        System.out.println("Skipping: " + message);
        assumeTrue(false, message);
    }

    private ConfigurableApplicationContext node(String name, String server, String... extra) {
        int port = VccCluster.freePort();
        String token = admin.post("/api/v1/node-registrations", "{\"note\":\"" + name + "\"}").created().path("token").asString();
        List<String> args = new ArrayList<>(List.of("--vcc.datapath.enabled=true", "--vcc.datapath.tunnel=127.0.0.1:0",
                "--vcc.datapath.event-loops=1"));
        args.addAll(List.of(extra));
        return cluster.vccNode(name, port, "http://localhost:" + port, server, token, "PUBLIC", args.toArray(String[]::new));
    }

    private static int freeUdpPort() {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (SocketException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String vdc(String tenant, String cloud, String name) {
        return "{\"tenantId\":\"" + tenant + "\",\"cloudId\":\"" + cloud + "\",\"name\":\"" + name
                + "\",\"cpuQuota\":8,\"memoryMbQuota\":8192,\"storageGbQuota\":20}";
    }

    private JsonNode awaitEnd(String operation) {
        return admin.awaitOperationEnd(operation, Duration.ofSeconds(90), Duration.ofMillis(200));
    }

    private static JsonNode span(JsonNode network, String cloudId) {
        for (JsonNode span : network.path("clouds")) {
            if (span.path("cloudId").asString().equals(cloudId)) {
                return span;
            }
        }
        throw new AssertionError("no span in cloud " + cloudId + ": " + network);
    }

    /** The names of the segment bridges and VXLAN devices ({@code vsb<n>}, {@code vsx<n>}) on the host. */
    private static Set<String> segmentLinks() {
        try (Stream<Path> links = Files.list(Path.of("/sys/class/net"))) {
            return links.map(link -> link.getFileName().toString()).filter(name -> name.matches("vs[bx][0-9]+"))
                    .collect(java.util.stream.Collectors.toCollection(TreeSet::new));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void must(String... command) {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new AssertionError(String.join(" ", command) + " failed: " + output.strip());
            }
        } catch (IOException e) {
            throw new AssertionError(String.join(" ", command) + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted: " + String.join(" ", command));
        }
    }
}

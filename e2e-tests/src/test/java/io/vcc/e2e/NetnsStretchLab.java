package io.vcc.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;

/**
 * Two clouds on this machine whose simulated VMs answer on their IPs: a server and two VCC nodes with their
 * datapaths on and {@code vcc.sim.segments.netns} (each node a host namespace, each powered-on VM a namespace with
 * its MAC and IP on its segment's bridge, a kernel VXLAN device towards the node's datapath). For the stretch e2e
 * test and {@code bench/stretch}; root and iproute2 only.
 */
public final class NetnsStretchLab implements AutoCloseable {

    /** Why this machine cannot run the lab, or null when it can. */
    public static String unavailable() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return "network namespaces need root (CI runs as root)";
        }
        try {
            Process ip = new ProcessBuilder("ip", "netns", "list").redirectErrorStream(true).start();
            ip.getInputStream().readAllBytes();
            if (!ip.waitFor(10, TimeUnit.SECONDS) || ip.exitValue() != 0) {
                return "needs iproute2 with 'ip netns' (Debian: iproute2)";
            }
        } catch (IOException e) {
            return "needs iproute2 with 'ip netns' (Debian: iproute2)";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
        return null;
    }

    public final VccCluster cluster;
    public final Api admin;
    public final String cloudA;
    public final String cloudB;

    public NetnsStretchLab(Path home) {
        cluster = new VccCluster(home);
        int serverPort = VccCluster.freePort();
        String server = "http://localhost:" + serverPort;
        cluster.server(serverPort, "--vcc.transfers.poll-interval=100ms", "--vcc.stretch.poll-interval=50ms");
        admin = Api.basic(server, "admin", VccCluster.ADMIN_PASSWORD);
        int subnet = freeSubnet();
        node("ns-a", server, subnet);
        node("ns-b", server, freeSubnet());
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                assertThat(admin.get("/api/v1/nodes").json().findValuesAsString("status")).containsExactly("RUNNING", "RUNNING"));
        cloudA = admin.cloudId("ns-a");
        cloudB = admin.cloudId("ns-b");
    }

    /**
     * A tenant with a VDC in each cloud and a layer-2 network whose VMs have {@code mtu}, spanning cloud A, with VDC
     * network "web" on it in A.
     */
    public record Tenant(String id, String vdcA, String vdcB, String networkId) {
    }

    public Tenant tenant(String name, int vlan, int mtu) {
        String id = admin.post("/api/v1/tenants", "{\"name\":\"" + name + "\"}").created().path("id").asString();
        String vdcA = admin.post("/api/v1/vdcs", vdc(id, cloudA, name + "-a")).created().path("id").asString();
        String vdcB = admin.post("/api/v1/vdcs", vdc(id, cloudB, name + "-b")).created().path("id").asString();
        String network = admin.post("/api/v1/networks", "{\"tenantId\":\"" + id + "\",\"name\":\"web\",\"mtu\":" + mtu + ",\"vlanId\":" + vlan
                + ",\"clouds\":[{\"cloudId\":\"" + cloudA + "\"}]}").created().path("id").asString();
        Api.Response backed = admin.send("PUT", "/api/v1/vdcs/" + vdcA + "/segment-networks/web", "{\"networkId\":\"" + network
                + "\",\"cidr\":\"192.168.10.0/24\",\"gateway\":\"192.168.10.1\",\"rules\":[]}", "application/json");
        assertThat(backed.status()).as(backed.toString()).isEqualTo(200);
        return new Tenant(id, vdcA, vdcB, network);
    }

    /** A powered-on VM on "web" in the VDC: its id, MAC and IP. */
    public record Vm(String id, String mac, String ip) {

        /** The namespace the node gave the VM (see the node's SimNetns). */
        public String namespace() {
            return "vcc-vm-" + id.substring(0, 13);
        }
    }

    public Vm poweredOnVm(String vdc, String name) {
        JsonNode vm = admin.post("/api/v1/vdcs/" + vdc + "/vms",
                "{\"name\":\"" + name + "\",\"cpus\":1,\"memoryMb\":256,\"diskGb\":1,\"network\":\"web\"}").created();
        String id = vm.path("id").asString();
        Api.Response on = admin.post("/api/v1/vdcs/" + vdc + "/vms/" + id + "/power", "{\"state\":\"POWERED_ON\"}");
        assertThat(on.status()).as(on.toString()).isEqualTo(200);
        return new Vm(id, vm.path("nics").get(0).path("mac").asString(), vm.path("nics").get(0).path("ip").asString());
    }

    /** Starts a stretch deploy of the VM; the operation's id. */
    public String stretch(String sourceVdc, String vmId, String targetVdc) {
        Api.Response accepted = admin.post("/api/v1/stretch-deploys", "{\"sourceVdcId\":\"" + sourceVdc + "\",\"vmId\":\"" + vmId
                + "\",\"targetVdcId\":\"" + targetVdc + "\"}");
        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
        return accepted.text("id");
    }

    public String reverse(String stretch) {
        Api.Response accepted = admin.post("/api/v1/stretch-deploys/" + stretch + "/reverse", null);
        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
        return accepted.text("id");
    }

    public JsonNode operation(String id) {
        return admin.get("/api/v1/operations/" + id).json();
    }

    public JsonNode awaitEnd(String operation) {
        return await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> operation(operation), op -> op.path("state").asString().matches("SUCCEEDED|FAILED|CANCELLED"));
    }

    /** The MAC the namespace's neighbour table holds for the address (whom it reached), or null. */
    public static String neighbour(String namespace, String ip) {
        String line = run("ip", "-n", namespace, "neigh", "show", ip);
        int at = line.indexOf("lladdr ");
        return at < 0 ? null : line.substring(at + 7).split(" ")[0];
    }

    /** The MTU of the VM's first NIC, as its namespace has it. */
    public static int nicMtu(String namespace) {
        String link = run("ip", "-n", namespace, "-o", "link", "show", "eth0");
        return Integer.parseInt(link.replaceAll("(?s).* mtu (\\d+) .*", "$1"));
    }

    public static void flushNeighbours(String namespace) {
        run("ip", "-n", namespace, "neigh", "flush", "all");
    }

    @Override
    public void close() {
        cluster.close();
    }

    private void node(String name, String server, int subnet) {
        int port = VccCluster.freePort();
        int vtepPort = 20_000 + ThreadLocalRandom.current().nextInt(20_000);
        String uplink = "10.250." + subnet + ".1";
        String token = admin.post("/api/v1/node-registrations", "{\"note\":\"" + name + "\"}").created().path("token").asString();
        cluster.vccNode(name, port, "http://localhost:" + port, server, token, "PUBLIC",
                "--vcc.datapath.enabled=true", "--vcc.datapath.local-vtep=" + uplink + ":" + vtepPort,
                "--vcc.datapath.tunnel=127.0.0.1:0", "--vcc.datapath.event-loops=1",
                "--vcc.sim.segments.netns=true", "--vcc.sim.segments.netns-uplink=" + uplink + "/30",
                "--vcc.sim.segments.datapath-port=" + vtepPort, "--vcc.sim.operation-delay=0ms");
    }

    private static final List<Integer> taken = new ArrayList<>();

    /** A 10.250.x.0/30 no interface of this machine uses. */
    private static synchronized int freeSubnet() {
        for (int attempt = 0; attempt < 200; attempt++) {
            int candidate = 10 + ThreadLocalRandom.current().nextInt(240);
            if (!taken.contains(candidate) && run("ip", "-4", "addr", "show", "to", "10.250." + candidate + ".0/24").isBlank()) {
                taken.add(candidate);
                return candidate;
            }
        }
        throw new IllegalStateException("no free 10.250.x.0/24");
    }

    private static String vdc(String tenant, String cloud, String name) {
        return "{\"tenantId\":\"" + tenant + "\",\"cloudId\":\"" + cloud + "\",\"name\":\"" + name
                + "\",\"cpuQuota\":8,\"memoryMbQuota\":8192,\"storageGbQuota\":20}";
    }

    static String run(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor(30, TimeUnit.SECONDS);
            return output;
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}

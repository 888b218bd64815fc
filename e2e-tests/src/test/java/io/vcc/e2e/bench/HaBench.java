package io.vcc.e2e.bench;

import io.vcc.api.ha.HaInventory;
import io.vcc.api.ha.HaNic;
import io.vcc.api.ha.HaVmInfo;
import io.vcc.api.ha.HypervisorInfo;
import io.vcc.api.ha.SystemRole;
import io.vcc.api.node.PowerState;
import io.vcc.e2e.Api;
import io.vcc.e2e.VccCluster;
import io.vcc.node.adapter.HaAdapter;
import io.vcc.node.adapter.sim.ha.SimHaSetup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Time from the failure of a protected customer system to all its VMs running on the activated VH, for 1, 10 and
 * 100 VMs, with the server's default detection settings (vcc.ha.detection-interval 1s, confirm-after 500ms,
 * db-scheduler polling 1s) and the simulated systems' default action time (vcc.sim.ha.operation-delay 100ms).
 * Server and node each in their own context and port, over real HTTP; the failure is fault injection (the
 * system stops answering), as in HaE2ETest. The peers are published acceptance figures, not measured here:
 * oVirt HA about 149 s, vSphere HA about 60 s.
 * Usage: bench/ha/run [--vms 1,10,100] [--runs 1]
 */
public final class HaBench {

    private static final double OVIRT_SECONDS = 149;
    private static final double VSPHERE_SECONDS = 60;

    public static void main(String[] args) throws Exception {
        List<Integer> sizes = List.of(1, 10, 100);
        int runs = 1;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--vms" -> sizes = Arrays.stream(args[++i].split(",")).map(Integer::parseInt).toList();
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Path home = Files.createTempDirectory("vcc-ha-bench");
        try (VccCluster cluster = new VccCluster(home, false)) {
            int serverPort = VccCluster.freePort();
            String server = "http://127.0.0.1:" + serverPort;
            cluster.server(serverPort, "--logging.level.root=WARN");
            Api admin = Api.basic(server, "admin", VccCluster.ADMIN_PASSWORD);
            int nodePort = VccCluster.freePort();
            ConfigurableApplicationContext node = cluster.vccNode("cloud-ha", nodePort, "http://127.0.0.1:" + nodePort, server,
                    admin.post("/api/v1/node-registrations", "{\"note\":\"ha-bench\"}").text("token"), "PUBLIC", "--logging.level.root=WARN");
            long deadline = System.currentTimeMillis() + 120_000;
            while (!admin.get("/api/v1/nodes").body().contains("\"RUNNING\"")) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("node did not register");
                }
                Thread.sleep(200);
            }
            String nodeId = admin.get("/api/v1/nodes").json().get(0).path("id").asString();
            SimHaSetup sim = node.getBean(SimHaSetup.class);
            HaAdapter ha = node.getBean(HaAdapter.class);
            System.out.printf("HA failover bench: detection interval 1s (vcc.ha.detection-interval default), confirm-after 500ms, "
                    + "db-scheduler polling 1s, simulated action time 100ms, migrate parallelism 8; under load (shared machine)%n");
            System.out.printf("%6s %4s %12s %12s %14s %14s%n", "VMs", "run", "running s", "held s", "oVirt/vcc", "vSphere/vcc");
            int pools = 0;
            for (int size : sizes) {
                for (int run = 1; run <= runs; run++) {
                    String tag = "n" + size + "r" + run;
                    String pool = "pool-" + (++pools);
                    int cpus = Math.max(16, size);
                    long memory = Math.max(65536, size * 512L);
                    HypervisorInfo customer = sim.addSystem("cust-" + tag, SystemRole.CUSTOMER, null, 3, cpus, memory);
                    HypervisorInfo p1 = sim.addSystem("p1-" + tag, SystemRole.POOL, pool, 4, cpus * 2, memory * 2);
                    sim.addSystem("p2-" + tag, SystemRole.POOL, pool, 4, cpus * 2, memory * 2);
                    HypervisorInfo mirror = sim.addVirtualHypervisor("vh-" + tag, p1.physicalSystemId(), customer.id(), 3, cpus, memory);
                    sim.addVirtualHypervisor("vh-spare-" + tag, p1.physicalSystemId(), null, 4, cpus, memory);
                    List<String> vms = new ArrayList<>();
                    for (int v = 0; v < size; v++) {
                        String mac = String.format("52:54:%02x:%02x:%02x:%02x", pools & 0xff, run & 0xff, (v >> 8) & 0xff, v & 0xff);
                        vms.add(sim.addVm("bench", "vm-" + tag + "-" + v, customer.id(), 1, 512,
                                new HaNic(mac, "10.1." + (v >> 8) + "." + (v & 0xff), "bench-net", 100), 64 * 1024).id());
                    }
                    String poolId = admin.post("/api/v1/ha/pools", "{\"nodeId\":\"" + nodeId + "\",\"name\":\"" + pool + "\"}").text("id");
                    Api.Response protection = admin.post("/api/v1/ha/protections", "{\"poolId\":\"" + poolId + "\",\"hypervisorId\":\""
                            + customer.id() + "\",\"rpoSeconds\":300}");
                    if (protection.status() != 201) {
                        throw new IllegalStateException(protection.toString());
                    }
                    Thread.sleep(2000);

                    long killed = System.nanoTime();
                    sim.kill(customer.physicalSystemId());
                    double running = -1;
                    while (running < 0) {
                        if (allRunningOn(ha.inventory(), vms, mirror.id())) {
                            running = (System.nanoTime() - killed) / 1e9;
                        } else if ((System.nanoTime() - killed) > 300e9) {
                            throw new IllegalStateException("VMs not running on the VH after 300 s");
                        }
                        Thread.sleep(20);
                    }
                    double held = -1;
                    while (held < 0) {
                        if (admin.get("/api/v1/ha/failovers").body().contains("\"hypervisorId\":\"" + customer.id() + "\",")
                                && held(admin, customer.id())) {
                            held = (System.nanoTime() - killed) / 1e9;
                        }
                        Thread.sleep(20);
                    }
                    System.out.printf("%6d %4d %12.2f %12.2f %14.1f %14.1f%n", size, run, running, held,
                            OVIRT_SECONDS / running, VSPHERE_SECONDS / running);
                }
            }
        }
    }

    private static boolean allRunningOn(HaInventory inventory, List<String> vms, String vh) {
        Set<String> wanted = Set.copyOf(vms);
        return inventory.vms().stream().filter(v -> wanted.contains(v.id()))
                .filter(v -> v.hypervisorId().equals(vh) && v.power() == PowerState.POWERED_ON)
                .map(HaVmInfo::id).collect(Collectors.toSet()).size() == wanted.size();
    }

    private static boolean held(Api admin, String hypervisorId) {
        for (var f : admin.get("/api/v1/ha/failovers").json()) {
            if (f.path("hypervisorId").asString().equals(hypervisorId)) {
                return f.path("state").asString().equals("HOLDING");
            }
        }
        return false;
    }
}

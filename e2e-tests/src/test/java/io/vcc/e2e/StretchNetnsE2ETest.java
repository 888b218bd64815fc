package io.vcc.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vcc.datapath.VmProbe;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Issue 14's proof with real kernels (root and iproute2; skipped otherwise, mandatory with
 * {@code VCC_REQUIRE_NETNS=1}): tenant acme has a VM and a peer VM in cloud A on one network, each a network
 * namespace with its MAC and IP. The VM is stretched to cloud B; the peer reaches it on the same IP and MAC
 * before, during (it answers again once the cut-over is done) and after, through both nodes' datapaths; then
 * back. Tenant globex, with the same VLAN and the same IPs, stretched at the same time, reaches its own VMs
 * only, never acme's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StretchNetnsE2ETest {

    @TempDir
    static Path home;

    private NetnsStretchLab lab;
    private NetnsStretchLab.Tenant acme;
    private NetnsStretchLab.Tenant globex;
    private NetnsStretchLab.Vm vm;
    private NetnsStretchLab.Vm peer;
    private NetnsStretchLab.Vm globexVm;
    private NetnsStretchLab.Vm globexPeer;
    private NetnsStretchLab.Vm acmeOnly;
    private VmProbe fromPeer;
    private VmProbe fromGlobex;
    private String stretch;

    @BeforeAll
    void buildClouds() throws Exception {
        String missing = NetnsStretchLab.unavailable();
        if (missing != null) {
            if ("1".equals(System.getenv("VCC_REQUIRE_NETNS"))) {
                throw new IllegalStateException("VCC_REQUIRE_NETNS=1 but " + missing);
            }
            System.out.println("Skipping: " + missing);
            Assumptions.abort("Skipping: " + missing);
        }
        lab = new NetnsStretchLab(home);
        acme = lab.tenant("acme", 10, 1400);
        globex = lab.tenant("globex", 10, 1300);
        vm = lab.poweredOnVm(acme.vdcA(), "web01");          // 192.168.10.10
        peer = lab.poweredOnVm(acme.vdcA(), "peer");         // .11
        acmeOnly = lab.poweredOnVm(acme.vdcA(), "only");     // .12, acme has it, globex does not
        globexVm = lab.poweredOnVm(globex.vdcA(), "web01");  // .10 in globex
        globexPeer = lab.poweredOnVm(globex.vdcA(), "peer"); // .11 in globex
        fromPeer = VmProbe.start(peer.namespace());
        fromGlobex = VmProbe.start(globexPeer.namespace());
    }

    @AfterAll
    void tearDown() {
        if (fromPeer != null) {
            fromPeer.close();
        }
        if (fromGlobex != null) {
            fromGlobex.close();
        }
        if (lab != null) {
            lab.close();
        }
        if (NetnsStretchLab.unavailable() == null) {
            assertThat(NetnsStretchLab.run("ip", "netns", "list")).as("namespaces left behind").doesNotContain("vcc-vm-", "vcc-h-");
        }
    }

    @Test
    @Order(1)
    void beforeThePeerReachesTheVmOnItsIpAndMacInCloudA() {
        assertThat(vm.ip()).isEqualTo(globexVm.ip());
        assertThat(fromPeer.reaches(vm.ip())).isTrue();
        assertThat(NetnsStretchLab.neighbour(peer.namespace(), vm.ip())).isEqualToIgnoringCase(vm.mac());
        assertThat(fromGlobex.reaches(globexVm.ip())).isTrue();
        assertThat(NetnsStretchLab.neighbour(globexPeer.namespace(), globexVm.ip())).isEqualToIgnoringCase(globexVm.mac());
        assertThat(NetnsStretchLab.nicMtu(vm.namespace())).as("acme's network MTU").isEqualTo(1400);
        assertThat(NetnsStretchLab.nicMtu(globexVm.namespace())).as("globex's network MTU").isEqualTo(1300);
    }

    @Test
    @Order(2)
    void duringAndAfterTheStretchThePeerReachesTheSameIpAndMacThroughBothDatapaths() throws Exception {
        AtomicBoolean probing = new AtomicBoolean(true);
        AtomicLong answered = new AtomicLong();
        AtomicLong unanswered = new AtomicLong();
        Thread during = new Thread(() -> {
            try (VmProbe probe = VmProbe.start(peer.namespace())) {
                while (probing.get()) {
                    (probe.echo(vm.ip(), 200) >= 0 ? answered : unanswered).incrementAndGet();
                }
            } catch (Exception e) {
                unanswered.addAndGet(1_000_000);
            }
        });
        during.start();
        stretch = lab.stretch(acme.vdcA(), vm.id(), acme.vdcB());
        // globex stretches its VM with the same VLAN and IP at the same time
        String globexStretch = lab.stretch(globex.vdcA(), globexVm.id(), globex.vdcB());
        JsonNode done = lab.awaitEnd(stretch);
        JsonNode globexDone = lab.awaitEnd(globexStretch);
        probing.set(false);
        during.join();
        assertThat(done.path("state").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
        assertThat(globexDone.path("state").asString()).as(globexDone.toString()).isEqualTo("SUCCEEDED");
        assertThat(answered.get()).as("echoes answered while the stretch ran (" + unanswered.get() + " not)").isPositive();

        NetnsStretchLab.flushNeighbours(peer.namespace());
        assertThat(fromPeer.reaches(vm.ip())).as("the VM answers in cloud B").isTrue();
        assertThat(NetnsStretchLab.neighbour(peer.namespace(), vm.ip())).isEqualToIgnoringCase(vm.mac());
        String movedId = done.path("outputs").path("targetVmId").asString();
        assertThat(NetnsStretchLab.run("ip", "netns", "list")).contains("vcc-vm-" + movedId.substring(0, 13))
                .doesNotContain(vm.namespace());
        JsonNode datapath = lab.admin.get("/api/v1/networks/" + acme.networkId() + "/datapath").json();
        for (JsonNode span : datapath) {
            assertThat(span.path("segment").path("counters").path("framesFromTunnel").asLong()).as(span.toString()).isPositive();
        }

        NetnsStretchLab.flushNeighbours(globexPeer.namespace());
        assertThat(fromGlobex.reaches(globexVm.ip())).isTrue();
        assertThat(NetnsStretchLab.neighbour(globexPeer.namespace(), globexVm.ip())).isEqualToIgnoringCase(globexVm.mac());
        String globexMoved = globexDone.path("outputs").path("targetVmId").asString();
        assertThat(NetnsStretchLab.nicMtu("vcc-vm-" + globexMoved.substring(0, 13))).as("the network's MTU in cloud B").isEqualTo(1300);
        assertThat(fromGlobex.reaches(acmeOnly.ip())).as("globex never reaches acme's .12").isFalse();
        assertThat(fromPeer.reaches(acmeOnly.ip())).isTrue();
    }

    @Test
    @Order(3)
    void afterTheReverseThePeerStillReachesIt() {
        JsonNode done = lab.awaitEnd(lab.reverse(stretch));
        assertThat(done.path("state").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
        assertThat(done.path("outputs").path("retracted").asBoolean()).isTrue();
        NetnsStretchLab.flushNeighbours(peer.namespace());
        assertThat(fromPeer.reaches(vm.ip())).isTrue();
        assertThat(NetnsStretchLab.neighbour(peer.namespace(), vm.ip())).isEqualToIgnoringCase(vm.mac());
        assertThat(NetnsStretchLab.neighbour(peer.namespace(), vm.ip())).isNotEqualToIgnoringCase(globexVm.mac());
    }
}

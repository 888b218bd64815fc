package io.vcc.node.adapter.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.vcc.api.node.EdgeRule;
import io.vcc.api.node.NicAnswer;
import io.vcc.api.node.NicPlacement;
import io.vcc.api.node.PowerState;
import io.vcc.api.node.SegmentNetworkInfo;
import io.vcc.api.node.SegmentNetworkSpec;
import io.vcc.api.node.SegmentPort;
import io.vcc.api.node.VdcInfo;
import io.vcc.api.node.VdcSpec;
import io.vcc.api.node.VmInfo;
import io.vcc.api.node.VmSpec;
import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import io.vcc.node.adapter.CloudDirectorAdapter;
import io.vcc.node.adapter.HypervisorAdapter;
import io.vcc.node.adapter.TenantSegments;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

/** VM NICs on tenant segments in the simulated cloud, on a real PostgreSQL: attached, visible, and refusals that change nothing. */
@SpringBootTest(properties = {"spring.config.name=vcc-node", "vcc.service-name=vcc-node-segments-test",
        "vcc.sim.segments.vteps=10.9.0.2:4789"})
@ActiveProfiles("test")
class SimSegmentsTest {

    private static final List<EdgeRule> RULES = List.of(new EdgeRule(EdgeRule.Kind.FIREWALL, "tcp any:443", "allow"));

    @Autowired
    CloudDirectorAdapter director;
    @Autowired
    HypervisorAdapter hypervisor;
    @Autowired
    TenantSegments segments;
    @Autowired
    SimFaults faults;

    @Test
    void vmsOnABackedNetworkAreOnItsSegmentAndPlacedNicsKeepTheirMacAndIp() {
        VdcInfo vdc = vdc();
        SegmentNetworkInfo web = segments.putNetwork(vdc.id(), "web", new SegmentNetworkSpec("192.168.10.0/24", "192.168.10.1", 5001, RULES, 1400));
        assertThat(web.rules()).isEqualTo(RULES);
        assertThat(segments.networks(vdc.id())).containsExactly(web);
        assertThat(segments.vteps()).containsExactly("10.9.0.2:4789");

        VmInfo vm = hypervisor.createVm(vdc.id(), new VmSpec("web01", 1, 256, 1, "web"));
        hypervisor.power(vm.id(), PowerState.POWERED_ON);
        assertThat(segments.ports()).contains(new SegmentPort(5001, vm.id(), vdc.id(), 0, vm.nics().get(0).mac(), "192.168.10.10", true));

        VmInfo placed = segments.placeNic(vm.id(), 0, new NicPlacement("web", "02:AA:00:00:00:07", "192.168.10.77"));
        assertThat(placed.nics().get(0).mac()).isEqualTo("02:aa:00:00:00:07");
        assertThat(placed.nics().get(0).ip()).isEqualTo("192.168.10.77");

        segments.detachNic(vm.id(), 0);
        assertThat(segments.ports()).noneMatch(port -> port.vmId().equals(vm.id()));
        segments.attachNic(vm.id(), 0, 5001);
        assertThat(segments.ports()).anyMatch(port -> port.vmId().equals(vm.id()) && port.vni() == 5001);
    }

    @Test
    void aVmAnswersOnItsSegmentWhilePoweredOnUnlessItsGuestIsMadeSilent() {
        VdcInfo vdc = vdc();
        segments.putNetwork(vdc.id(), "web", new SegmentNetworkSpec("192.168.10.0/24", "192.168.10.1", 5003, List.of(), 1400));
        VmInfo vm = hypervisor.createVm(vdc.id(), new VmSpec("web01", 1, 256, 1, "web"));
        VmInfo plain = hypervisor.createVm(vdc.id(), new VmSpec("plain", 1, 256, 1, null));
        assertThat(segments.answer(vm.id(), 0).answers()).as("powered off").isFalse();

        hypervisor.power(vm.id(), PowerState.POWERED_ON);
        assertThat(segments.answer(vm.id(), 0)).isEqualTo(new NicAnswer(true, "the simulation's power state"));
        assertThat(segments.answer(plain.id(), 0).answers()).as("on no segment").isFalse();
        faults.failNext("segments.answer", 1);
        assertThat(segments.answer(vm.id(), 0).answers()).as("a silent guest").isFalse();
        assertThat(segments.answer(vm.id(), 0).answers()).isTrue();
    }

    @Test
    void refusalsChangeNothing() {
        VdcInfo vdc = vdc();
        segments.putNetwork(vdc.id(), "web", new SegmentNetworkSpec("192.168.10.0/24", "192.168.10.1", 5002, List.of(), 1400));
        VmInfo one = hypervisor.createVm(vdc.id(), new VmSpec("one", 1, 256, 1, "web"));
        VmInfo two = hypervisor.createVm(vdc.id(), new VmSpec("two", 1, 256, 1, "web"));

        assertThat(refused(() -> segments.placeNic(two.id(), 0, new NicPlacement("web", two.nics().get(0).mac(), one.nics().get(0).ip()))))
                .isEqualTo(ProblemType.DUPLICATE);
        assertThat(refused(() -> segments.placeNic(two.id(), 0, new NicPlacement("web", one.nics().get(0).mac(), "192.168.10.99"))))
                .isEqualTo(ProblemType.DUPLICATE);
        assertThat(refused(() -> segments.placeNic(two.id(), 0, new NicPlacement("web", two.nics().get(0).mac(), "10.0.0.5"))))
                .isEqualTo(ProblemType.VALIDATION);
        assertThat(refused(() -> segments.putNetwork(vdc.id(), "web", new SegmentNetworkSpec("192.168.10.0/24", "10.0.0.1", 5002, List.of(), 1400))))
                .isEqualTo(ProblemType.VALIDATION);
        assertThat(refused(() -> segments.removeNetwork(vdc.id(), "web"))).isEqualTo(ProblemType.INVALID_STATE);
        assertThat(hypervisor.vm(two.id()).orElseThrow().nics()).isEqualTo(two.nics());
        assertThat(segments.networks(vdc.id())).extracting(SegmentNetworkInfo::gateway).containsExactly("192.168.10.1");
    }

    private VdcInfo vdc() {
        return director.createVdc(new VdcSpec("org-" + UUID.randomUUID().toString().substring(0, 6), "vdc", 8, 8192, 20));
    }

    private static ProblemType refused(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        VccProblemException e = catchThrowableOfType(VccProblemException.class, call);
        assertThat(e).as("refused").isNotNull();
        return e.type();
    }
}

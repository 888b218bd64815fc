package io.vcc.server.ha;

import static org.assertj.core.api.Assertions.assertThat;

import io.vcc.api.ha.HaNic;
import io.vcc.api.ha.HaVmInfo;
import io.vcc.api.node.PowerState;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The capacity-burst policy's choice of VMs to move off an overloaded customer hypervisor. */
class FailoverBurstPolicyTest {

    private static HaVmInfo vm(String id, int cpus) {
        return new HaVmInfo(id, "acme", id, "hv", PowerState.POWERED_ON, cpus, cpus * 1024L, new HaNic("52:54:00:00:00:01", "10.0.0.1", "net", 7), null);
    }

    private static final List<HaVmInfo> RUNNING = List.of(vm("a", 1), vm("b", 4), vm("c", 2), vm("d", 1));

    @Test
    void belowTheThresholdNothingMoves() {
        assertThat(CapacityBurst.choose(RUNNING, RUNNING, 79, 80)).isEmpty();
    }

    @Test
    void justOverTheThresholdTheLargestVmMoves() {
        assertThat(CapacityBurst.choose(RUNNING, RUNNING, 85, 80)).contains(List.of("b"));
    }

    @Test
    void theLargestFirstUntilTheirShareOfVcpusCoversTheExcessLoad() {
        // 8 vCPUs at 100 % with a threshold of 50 %: VMs with at least 4 vCPUs leave; b alone has 4.
        assertThat(CapacityBurst.choose(RUNNING, RUNNING, 100, 50)).contains(List.of("b"));
        // With a threshold of 40 %: at least 4.8 vCPUs, so b, then c.
        assertThat(CapacityBurst.choose(RUNNING, RUNNING, 100, 40)).contains(List.of("b", "c"));
    }

    @Test
    void onlyProtectedVmsAreCandidates() {
        List<HaVmInfo> protectedOnly = List.of(vm("a", 1), vm("d", 1));
        assertThat(CapacityBurst.choose(RUNNING, protectedOnly, 100, 40)).contains(List.of("a", "d"));
        assertThat(CapacityBurst.choose(RUNNING, List.of(), 100, 40)).isEmpty();
    }
}

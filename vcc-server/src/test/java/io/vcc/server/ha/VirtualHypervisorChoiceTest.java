package io.vcc.server.ha;

import static org.assertj.core.api.Assertions.assertThat;

import io.vcc.api.ha.HaInventory;
import io.vcc.api.ha.HypervisorInfo;
import io.vcc.api.ha.HypervisorKind;
import io.vcc.api.ha.HypervisorState;
import io.vcc.api.ha.PhysicalSystemInfo;
import io.vcc.api.ha.SystemRole;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Claim 1's choice: the mirror if free, else the smallest of equal or better hardware generation and size. */
class VirtualHypervisorChoiceTest {

    private static final HypervisorInfo FAILED = new HypervisorInfo("hv", "hv", HypervisorKind.CUSTOMER, "c", HypervisorState.FAILED,
            null, 3, 16, 65536, false);
    private static final PhysicalSystemInfo POOL = new PhysicalSystemInfo("p", "p", SystemRole.POOL, "pool", 4, 64, 1 << 20, true, false);
    private static final PhysicalSystemInfo DOWN = new PhysicalSystemInfo("d", "d", SystemRole.POOL, "pool", 4, 64, 1 << 20, false, true);
    private static final PhysicalSystemInfo OTHER = new PhysicalSystemInfo("o", "o", SystemRole.POOL, "other", 4, 64, 1 << 20, true, false);

    private static HypervisorInfo vh(String id, String system, String mirrorOf, int generation, int cpus, long memory) {
        return new HypervisorInfo(id, id, HypervisorKind.VIRTUAL, system, HypervisorState.INACTIVE, mirrorOf, generation, cpus, memory, true);
    }

    private static Optional<String> choose(Set<String> claimed, HypervisorInfo... vhs) {
        return VirtualHypervisorChoice.choose(new HaInventory(List.of(POOL, DOWN, OTHER), List.of(vhs), List.of()), "pool", FAILED, claimed)
                .map(HypervisorInfo::id);
    }

    @Test
    void theMirrorFirstEvenWhenSmallerOrOlder() {
        assertThat(choose(Set.of(), vh("big", "p", null, 5, 64, 1 << 18), vh("mirror", "p", "hv", 2, 8, 8192))).contains("mirror");
    }

    @Test
    void elseTheSmallestOfEqualOrBetterGenerationAndSize() {
        assertThat(choose(Set.of("mirror"),
                vh("mirror", "p", "hv", 3, 16, 65536),
                vh("older", "p", null, 2, 64, 1 << 18),
                vh("too-small", "p", null, 5, 8, 65536),
                vh("big", "p", null, 5, 64, 1 << 18),
                vh("fits", "p", null, 3, 16, 65536))).contains("fits");
    }

    @Test
    void noneOnADownSystemInAnotherPoolOrClaimed() {
        assertThat(choose(Set.of("claimed"),
                vh("on-down", "d", "hv", 3, 16, 65536),
                vh("elsewhere", "o", "hv", 3, 16, 65536),
                vh("claimed", "p", null, 4, 32, 1 << 17))).isEmpty();
    }
}

package io.vcc.server.ha;

import io.vcc.api.ha.HaInventory;
import io.vcc.api.ha.HypervisorInfo;
import io.vcc.api.ha.HypervisorKind;
import io.vcc.api.ha.HypervisorState;
import io.vcc.api.ha.PhysicalSystemInfo;
import io.vcc.api.ha.SystemRole;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Which inactive VH of a pool takes a failed customer hypervisor (claim 1): its mirror if that is free, else the
 * smallest free one of equal or better hardware generation and at least its size. Free: inactive, answering, on a
 * running system of the pool, and held by no open failover.
 */
final class VirtualHypervisorChoice {

    private VirtualHypervisorChoice() {
    }

    static Optional<HypervisorInfo> choose(HaInventory inventory, String pool, HypervisorInfo failed, Set<String> claimed) {
        Map<String, PhysicalSystemInfo> systems = inventory.systems().stream()
                .collect(Collectors.toMap(PhysicalSystemInfo::id, Function.identity()));
        var free = inventory.hypervisors().stream()
                .filter(h -> h.kind() == HypervisorKind.VIRTUAL && h.state() == HypervisorState.INACTIVE && h.heartbeat())
                .filter(h -> !claimed.contains(h.id()))
                .filter(h -> inPool(systems.get(h.physicalSystemId()), pool))
                .toList();
        return free.stream().filter(h -> failed.id().equals(h.mirrorOf())).findFirst()
                .or(() -> free.stream()
                        .filter(h -> h.hardwareGeneration() >= failed.hardwareGeneration()
                                && h.cpus() >= failed.cpus() && h.memoryMb() >= failed.memoryMb())
                        .min(Comparator.comparingLong(HypervisorInfo::memoryMb).thenComparingInt(HypervisorInfo::cpus)
                                .thenComparingInt(HypervisorInfo::hardwareGeneration).thenComparing(HypervisorInfo::name)));
    }

    static boolean inPool(PhysicalSystemInfo system, String pool) {
        return system != null && system.role() == SystemRole.POOL && pool.equals(system.pool()) && system.powered() && !system.failed();
    }
}

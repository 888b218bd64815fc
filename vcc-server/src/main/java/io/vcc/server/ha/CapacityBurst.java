package io.vcc.server.ha;

import io.vcc.api.ha.HaVmInfo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A pool's capacity-burst policy: which VMs leave an overloaded customer hypervisor. Enough of them, the largest
 * first, that their share of the vCPUs of the VMs it runs covers the load above the threshold (at least one): at
 * 95 % with a threshold of 80 %, VMs with at least 15/95 of those vCPUs move. Below the threshold, none.
 */
final class CapacityBurst {

    private CapacityBurst() {
    }

    /** The VMs (of {@code candidates}, those the protections cover) to move; empty when nothing needs to. */
    static Optional<List<String>> choose(List<HaVmInfo> running, List<HaVmInfo> candidates, int loadPercent, int thresholdPercent) {
        if (loadPercent < thresholdPercent || candidates.isEmpty()) {
            return Optional.empty();
        }
        int allCpus = running.stream().mapToInt(HaVmInfo::cpus).sum();
        double excess = allCpus * (double) (loadPercent - thresholdPercent) / loadPercent;
        List<String> chosen = new ArrayList<>();
        int moved = 0;
        for (HaVmInfo vm : candidates.stream().sorted(Comparator.comparingInt(HaVmInfo::cpus)
                .thenComparingLong(HaVmInfo::memoryMb).reversed().thenComparing(HaVmInfo::id)).toList()) {
            if (!chosen.isEmpty() && moved >= excess) {
                break;
            }
            chosen.add(vm.id());
            moved += vm.cpus();
        }
        return Optional.of(List.copyOf(chosen));
    }
}

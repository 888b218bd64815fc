package io.vcc.api.node;

import java.util.List;

public record VmInfo(String id, String vdcId, String vappId, String name, PowerState state, int cpus,
                     long memoryMb, List<DiskInfo> disks, List<NicInfo> nics) {
}

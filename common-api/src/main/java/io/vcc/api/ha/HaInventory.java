package io.vcc.api.ha;

import java.util.List;

/** Everything the node's HA adapter knows, in one answer, so a caller sees one consistent picture. */
public record HaInventory(List<PhysicalSystemInfo> systems, List<HypervisorInfo> hypervisors, List<HaVmInfo> vms) {
}

package io.vcc.ovf;

import java.util.List;

/**
 * The {@code VirtualHardwareSection} of a virtual machine, reduced to what an importer needs.
 *
 * @param systemType  {@code vssd:VirtualSystemType} (e.g. {@code vmx-13}, {@code virtualbox-2.2}), or {@code null}
 * @param cpus        number of virtual CPUs
 * @param memoryBytes memory with its allocation units applied
 * @param disks       disk items in descriptor order
 * @param nics        ethernet adapters in descriptor order (the order guests enumerate them)
 */
public record VirtualHardware(String systemType, int cpus, long memoryBytes, List<DiskAttachment> disks,
                              List<NetworkAdapter> nics) {

    public VirtualHardware {
        if (systemType != null && systemType.isBlank()) {
            systemType = null;
        }
        if (cpus <= 0) {
            throw new IllegalArgumentException("a virtual machine needs at least one CPU");
        }
        if (memoryBytes <= 0) {
            throw new IllegalArgumentException("a virtual machine needs memory");
        }
        disks = List.copyOf(disks);
        nics = List.copyOf(nics);
    }
}

package io.vcc.api.node;

/**
 * A physical host of a cloud (seed 003: zone ⊃ pod ⊃ host) with its capacity and what the VMs placed on it
 * hold. A cloud does not over-commit a host: {@code *Used} never exceeds the capacity beside it.
 */
public record HostInfo(String zone, String pod, String name, int cpus, long memoryMb, long storageGb,
                       int cpusUsed, long memoryMbUsed, long storageGbUsed, int vms) {
}

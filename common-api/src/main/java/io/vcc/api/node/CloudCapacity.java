package io.vcc.api.node;

/** The physical capacity of a cloud and how much of it the VDCs have been allocated. */
public record CloudCapacity(int cpuTotal, long memoryMbTotal, long storageGbTotal, int cpuAllocated,
                            long memoryMbAllocated, long storageGbAllocated) {
}

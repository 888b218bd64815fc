package io.vcc.api.ha;

/**
 * A bare-metal system: its role, the HA pool it belongs to (null for a customer system), its hardware generation
 * and size, whether it is powered (fencing powers it off) and whether it has failed.
 */
public record PhysicalSystemInfo(String id, String name, SystemRole role, String pool, int hardwareGeneration,
                                 int cpus, long memoryMb, boolean powered, boolean failed) {
}

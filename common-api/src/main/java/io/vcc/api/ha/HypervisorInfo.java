package io.vcc.api.ha;

/**
 * A hypervisor on a physical system. For a virtual hypervisor: {@code mirrorOf} is the customer hypervisor it is
 * a mirror of (null for a generic one), and its size and hardware generation are what it offers once active.
 * {@code heartbeat} is whether it answers now; {@code loadPercent} its CPU load now (0 when it does not answer),
 * which a pool's capacity-burst policy watches.
 */
public record HypervisorInfo(String id, String name, HypervisorKind kind, String physicalSystemId, HypervisorState state,
                             String mirrorOf, int hardwareGeneration, int cpus, long memoryMb, boolean heartbeat, int loadPercent) {

    public HypervisorInfo(String id, String name, HypervisorKind kind, String physicalSystemId, HypervisorState state,
                          String mirrorOf, int hardwareGeneration, int cpus, long memoryMb, boolean heartbeat) {
        this(id, name, kind, physicalSystemId, state, mirrorOf, hardwareGeneration, cpus, memoryMb, heartbeat, 0);
    }
}

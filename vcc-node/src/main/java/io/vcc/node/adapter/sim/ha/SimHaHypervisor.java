package io.vcc.node.adapter.sim.ha;

import io.vcc.api.ha.HypervisorInfo;
import io.vcc.api.ha.HypervisorKind;
import io.vcc.api.ha.HypervisorState;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.util.UUID;

/** A customer, first-level or virtual hypervisor on a physical system. */
@Entity
@Table(name = "sim_ha_hypervisor")
class SimHaHypervisor {

    @Id
    private UUID id;
    @Column(nullable = false)
    private String name;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private HypervisorKind kind;
    @Column(nullable = false)
    private UUID systemId;
    private boolean active;
    private boolean failed;
    private UUID mirrorOf;
    private int hardwareGeneration;
    private int cpus;
    private long memoryMb;
    private int loadPercent;
    @Version
    private long version;

    protected SimHaHypervisor() {
    }

    SimHaHypervisor(String name, HypervisorKind kind, UUID systemId, UUID mirrorOf, int hardwareGeneration, int cpus, long memoryMb) {
        this.id = UUID.randomUUID();
        this.name = name;
        this.kind = kind;
        this.systemId = systemId;
        this.active = kind != HypervisorKind.VIRTUAL;
        this.mirrorOf = mirrorOf;
        this.hardwareGeneration = hardwareGeneration;
        this.cpus = cpus;
        this.memoryMb = memoryMb;
    }

    UUID id() {
        return id;
    }

    String name() {
        return name;
    }

    HypervisorKind kind() {
        return kind;
    }

    UUID systemId() {
        return systemId;
    }

    boolean active() {
        return active;
    }

    int cpus() {
        return cpus;
    }

    long memoryMb() {
        return memoryMb;
    }

    void fail() {
        failed = true;
    }

    void repair() {
        failed = false;
    }

    /** Its CPU load as the guests drive it (injected). */
    void load(int percent) {
        loadPercent = percent;
    }

    void activate() {
        active = true;
    }

    void deactivate() {
        active = false;
    }

    void moveTo(UUID system) {
        systemId = system;
    }

    /** Whether it answers: not failed itself, on a system that is powered and has not failed. */
    boolean heartbeat(SimPhysicalSystem system) {
        return !failed && system.up();
    }

    /** Whether customer VMs may be placed on it now. */
    boolean runsVms(SimPhysicalSystem system) {
        return heartbeat(system) && active && kind != HypervisorKind.FIRST_LEVEL;
    }

    HypervisorInfo toInfo(SimPhysicalSystem system) {
        boolean heartbeat = heartbeat(system);
        HypervisorState state = !heartbeat ? HypervisorState.FAILED
                : kind != HypervisorKind.VIRTUAL ? HypervisorState.RUNNING
                : active ? HypervisorState.ACTIVE : HypervisorState.INACTIVE;
        return new HypervisorInfo(id.toString(), name, kind, systemId.toString(), state,
                mirrorOf == null ? null : mirrorOf.toString(), hardwareGeneration, cpus, memoryMb, heartbeat,
                heartbeat ? loadPercent : 0);
    }
}

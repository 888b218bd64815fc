package io.vcc.node.adapter.sim.ha;

import io.vcc.api.ha.PhysicalSystemInfo;
import io.vcc.api.ha.SystemRole;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.util.UUID;

@Entity
@Table(name = "sim_ha_system")
class SimPhysicalSystem {

    @Id
    private UUID id;
    @Column(nullable = false)
    private String name;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private SystemRole role;
    private String pool;
    private int hardwareGeneration;
    private int cpus;
    private long memoryMb;
    private boolean powered;
    private boolean failed;
    @Version
    private long version;

    protected SimPhysicalSystem() {
    }

    SimPhysicalSystem(String name, SystemRole role, String pool, int hardwareGeneration, int cpus, long memoryMb) {
        this.id = UUID.randomUUID();
        this.name = name;
        this.role = role;
        this.pool = pool;
        this.hardwareGeneration = hardwareGeneration;
        this.cpus = cpus;
        this.memoryMb = memoryMb;
        this.powered = true;
    }

    UUID id() {
        return id;
    }

    String name() {
        return name;
    }

    SystemRole role() {
        return role;
    }

    String pool() {
        return pool;
    }

    int hardwareGeneration() {
        return hardwareGeneration;
    }

    /** Powered and not failed: what runs on it runs. */
    boolean up() {
        return powered && !failed;
    }

    void fail() {
        failed = true;
    }

    void powerOff() {
        powered = false;
    }

    /** Repaired (or replaced) and powered on again. */
    void repair() {
        failed = false;
        powered = true;
    }

    PhysicalSystemInfo toInfo() {
        return new PhysicalSystemInfo(id.toString(), name, role, pool, hardwareGeneration, cpus, memoryMb, powered, failed);
    }
}

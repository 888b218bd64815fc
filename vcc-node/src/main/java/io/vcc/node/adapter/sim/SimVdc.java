package io.vcc.node.adapter.sim;

import io.vcc.api.node.VdcInfo;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.UUID;

@Entity
@Table(name = "sim_vdc")
class SimVdc {

    @Id
    private UUID id;
    @Column(nullable = false)
    private String organization;
    @Column(nullable = false)
    private String name;
    private int cpuQuota;
    private long memoryMbQuota;
    private long storageGbQuota;
    @Column(nullable = false)
    private Instant createdAt;
    private UUID zoneId;
    @Version
    private long version;

    protected SimVdc() {
    }

    SimVdc(String organization, String name, int cpuQuota, long memoryMbQuota, long storageGbQuota, Instant createdAt) {
        this.id = UUID.randomUUID();
        this.organization = organization;
        this.name = name;
        this.cpuQuota = cpuQuota;
        this.memoryMbQuota = memoryMbQuota;
        this.storageGbQuota = storageGbQuota;
        this.createdAt = createdAt;
    }

    UUID id() {
        return id;
    }

    String organization() {
        return organization;
    }

    String name() {
        return name;
    }

    int cpuQuota() {
        return cpuQuota;
    }

    long memoryMbQuota() {
        return memoryMbQuota;
    }

    long storageGbQuota() {
        return storageGbQuota;
    }

    /** The zone its VMs are placed in; null until its first VM is placed. */
    UUID zoneId() {
        return zoneId;
    }

    void placeIn(UUID zoneId) {
        this.zoneId = zoneId;
    }

    VdcInfo toInfo(SimUsage usage) {
        return new VdcInfo(id.toString(), organization, name, cpuQuota, memoryMbQuota, storageGbQuota,
                usage.cpus(), usage.memoryMb(), usage.storageGb());
    }
}

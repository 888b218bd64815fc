package io.vcc.server.vdc;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

@Entity
@Table(name = "vdc")
class Vdc {

    @Id
    private UUID id;
    @Column(nullable = false)
    private UUID tenantId;
    @Column(nullable = false)
    private UUID cloudId;
    @Column(nullable = false)
    private UUID nodeId;
    @Column(nullable = false)
    private String name;
    @Column(nullable = false)
    private String remoteId;
    private int cpuQuota;
    private long memoryMbQuota;
    private long storageGbQuota;
    @Column(nullable = false)
    private Instant createdAt;
    /** Packages without a manifest may be imported; only an admin sets it. */
    private boolean allowUnsignedPackages;

    protected Vdc() {
    }

    Vdc(UUID tenantId, UUID cloudId, UUID nodeId, String name, String remoteId, int cpuQuota, long memoryMbQuota,
        long storageGbQuota, Instant createdAt) {
        this.id = UUID.randomUUID();
        this.tenantId = tenantId;
        this.cloudId = cloudId;
        this.nodeId = nodeId;
        this.name = name;
        this.remoteId = remoteId;
        this.cpuQuota = cpuQuota;
        this.memoryMbQuota = memoryMbQuota;
        this.storageGbQuota = storageGbQuota;
        this.createdAt = createdAt;
    }

    UUID id() {
        return id;
    }

    UUID nodeId() {
        return nodeId;
    }

    String remoteId() {
        return remoteId;
    }

    void allowUnsignedPackages(boolean allow) {
        this.allowUnsignedPackages = allow;
    }

    VdcView view() {
        return new VdcView(id, tenantId, cloudId, nodeId, name, remoteId, cpuQuota, memoryMbQuota, storageGbQuota, createdAt,
                allowUnsignedPackages, null);
    }
}

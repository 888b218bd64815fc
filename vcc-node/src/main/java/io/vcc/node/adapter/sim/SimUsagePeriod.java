package io.vcc.node.adapter.sim;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * A VM's life for billing: from its creation to its deletion, with the organization it was billed to and
 * its disks' size. Kept after the VM and its VDC are gone.
 */
@Entity
@Table(name = "sim_usage_period")
class SimUsagePeriod {

    @Id
    private UUID id;
    @Column(nullable = false)
    private String organization;
    @Column(nullable = false)
    private UUID vmId;
    private boolean runnable;
    private long storageGb;
    @Column(nullable = false)
    private Instant startedAt;
    private Instant endedAt;

    protected SimUsagePeriod() {
    }

    SimUsagePeriod(String organization, UUID vmId, boolean runnable, long storageGb, Instant startedAt) {
        this.id = UUID.randomUUID();
        this.organization = organization;
        this.vmId = vmId;
        this.runnable = runnable;
        this.storageGb = storageGb;
        this.startedAt = startedAt;
    }

    void end(Instant at) {
        this.endedAt = at;
    }
}

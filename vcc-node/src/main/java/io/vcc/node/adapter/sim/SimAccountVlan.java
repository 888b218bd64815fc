package io.vcc.node.adapter.sim;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** The VLAN ID an account's guest traffic is tagged with in a zone, held while the account has VMs there. */
@Entity
@Table(name = "sim_account_vlan")
class SimAccountVlan {

    @Id
    private UUID id;
    @Column(nullable = false)
    private UUID zoneId;
    @Column(nullable = false)
    private String organization;
    private int vlan;
    @Column(nullable = false)
    private Instant allocatedAt;

    protected SimAccountVlan() {
    }

    SimAccountVlan(UUID zoneId, String organization, int vlan, Instant allocatedAt) {
        this.id = UUID.randomUUID();
        this.zoneId = zoneId;
        this.organization = organization;
        this.vlan = vlan;
        this.allocatedAt = allocatedAt;
    }

    UUID zoneId() {
        return zoneId;
    }

    String organization() {
        return organization;
    }

    int vlan() {
        return vlan;
    }
}

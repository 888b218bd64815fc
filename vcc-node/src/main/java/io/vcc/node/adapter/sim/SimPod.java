package io.vcc.node.adapter.sim;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.util.UUID;

/** A pod: a set of hosts of one zone that share a switch and storage. */
@Entity
@Table(name = "sim_pod")
class SimPod {

    @Id
    private UUID id;
    @Column(nullable = false)
    private UUID zoneId;
    @Column(nullable = false)
    private String name;

    protected SimPod() {
    }

    SimPod(UUID zoneId, String name) {
        this.id = UUID.randomUUID();
        this.zoneId = zoneId;
        this.name = name;
    }

    UUID id() {
        return id;
    }

    UUID zoneId() {
        return zoneId;
    }

    String name() {
        return name;
    }
}

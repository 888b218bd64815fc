package io.vcc.server.network;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A cloud's datacenter tag, held while some tenant network spans the cloud. */
@Entity
@Table(name = "datacenter_tag")
class DatacenterTag {

    @Id
    private UUID cloudId;
    private int tag;
    @Column(nullable = false)
    private Instant allocatedAt;

    protected DatacenterTag() {
    }

    DatacenterTag(UUID cloudId, int tag, Instant allocatedAt) {
        this.cloudId = cloudId;
        this.tag = tag;
        this.allocatedAt = allocatedAt;
    }

    int tag() {
        return tag;
    }
}

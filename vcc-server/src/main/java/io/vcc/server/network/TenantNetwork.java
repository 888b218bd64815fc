package io.vcc.server.network;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A tenant's VLAN as one network across clouds, with the host and customer tag allocated for it. */
@Entity
@Table(name = "tenant_network")
class TenantNetwork {

    @Id
    private UUID id;
    @Column(nullable = false)
    private UUID tenantId;
    @Column(nullable = false)
    private String name;
    private int vlanId;
    private int hostTag;
    private int customerTag;
    private int mtu;
    @Column(nullable = false)
    private Instant createdAt;

    protected TenantNetwork() {
    }

    TenantNetwork(UUID tenantId, String name, int vlanId, int hostTag, int customerTag, int mtu, Instant createdAt) {
        this.id = UUID.randomUUID();
        this.tenantId = tenantId;
        this.name = name;
        this.vlanId = vlanId;
        this.hostTag = hostTag;
        this.customerTag = customerTag;
        this.mtu = mtu;
        this.createdAt = createdAt;
    }

    UUID id() {
        return id;
    }

    UUID tenantId() {
        return tenantId;
    }

    String name() {
        return name;
    }

    int vlanId() {
        return vlanId;
    }

    int hostTag() {
        return hostTag;
    }

    int customerTag() {
        return customerTag;
    }

    int mtu() {
        return mtu;
    }

    Instant createdAt() {
        return createdAt;
    }
}

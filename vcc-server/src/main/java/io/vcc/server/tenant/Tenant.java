package io.vcc.server.tenant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

@Entity
@Table(name = "tenant")
class Tenant {

    @Id
    private UUID id;
    @Column(nullable = false, unique = true)
    private String name;
    @Column(nullable = false)
    private String displayName;
    @Column(nullable = false)
    private Instant createdAt;
    /** How many layer-2 networks the tenant may have; {@code null}: the server's default. */
    private Integer networkQuota;

    protected Tenant() {
    }

    Tenant(String name, String displayName, Instant createdAt) {
        this.id = UUID.randomUUID();
        this.name = name;
        this.displayName = displayName;
        this.createdAt = createdAt;
    }

    UUID id() {
        return id;
    }

    void limitNetworks(Integer quota) {
        this.networkQuota = quota;
    }

    TenantView view() {
        return new TenantView(id, name, displayName, networkQuota, createdAt);
    }
}

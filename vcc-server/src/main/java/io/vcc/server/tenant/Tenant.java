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

    TenantView view() {
        return new TenantView(id, name, displayName, createdAt);
    }
}

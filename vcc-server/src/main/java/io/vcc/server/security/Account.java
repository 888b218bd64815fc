package io.vcc.server.security;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

@Entity
@Table(name = "app_user")
class Account {

    @Id
    private UUID id;
    @Column(nullable = false, unique = true)
    private String username;
    @Column(nullable = false)
    private String passwordHash;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private Role role;
    private UUID tenantId;
    @Column(nullable = false)
    private Instant createdAt;

    protected Account() {
    }

    Account(String username, String passwordHash, Role role, UUID tenantId, Instant createdAt) {
        this.id = UUID.randomUUID();
        this.username = username;
        this.passwordHash = passwordHash;
        this.role = role;
        this.tenantId = tenantId;
        this.createdAt = createdAt;
    }

    UUID id() {
        return id;
    }

    String username() {
        return username;
    }

    String passwordHash() {
        return passwordHash;
    }

    void passwordHash(String passwordHash) {
        this.passwordHash = passwordHash;
    }

    Role role() {
        return role;
    }

    UUID tenantId() {
        return tenantId;
    }

    Instant createdAt() {
        return createdAt;
    }

    VccPrincipal principal() {
        return new VccPrincipal(id, username, role, tenantId);
    }

    AccountView view() {
        return new AccountView(id, username, role, tenantId, createdAt);
    }
}

package io.vcc.server.node;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A one-time token an operator hands to a node's installer. */
@Entity
@Table(name = "node_registration")
class NodeRegistration {

    @Id
    private UUID id;
    @Column(nullable = false, unique = true)
    private String tokenHash;
    private String note;
    @Column(nullable = false)
    private String createdBy;
    @Column(nullable = false)
    private Instant createdAt;
    @Column(nullable = false)
    private Instant expiresAt;
    private Instant usedAt;
    private UUID nodeId;

    protected NodeRegistration() {
    }

    NodeRegistration(String tokenHash, String note, String createdBy, Instant createdAt, Instant expiresAt) {
        this.id = UUID.randomUUID();
        this.tokenHash = tokenHash;
        this.note = note;
        this.createdBy = createdBy;
        this.createdAt = createdAt;
        this.expiresAt = expiresAt;
    }

    UUID id() {
        return id;
    }

    boolean used() {
        return usedAt != null;
    }

    boolean expiredAt(Instant now) {
        return !expiresAt.isAfter(now);
    }

    void useFor(UUID nodeId, Instant now) {
        this.nodeId = nodeId;
        this.usedAt = now;
    }

    RegistrationView view(Instant now) {
        String state = used() ? "USED" : expiredAt(now) ? "EXPIRED" : "PENDING";
        return new RegistrationView(id, note, state, createdBy, createdAt, expiresAt, usedAt, nodeId, null);
    }
}

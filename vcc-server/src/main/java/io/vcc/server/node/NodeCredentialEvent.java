package io.vcc.server.node;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** One line of a node's credential history: a rotation asked for or finished, a revocation. */
@Entity
@Table(name = "node_credential_event")
class NodeCredentialEvent {

    enum Kind {
        /** An administrator asked for a new secret; it waits until the node has taken it. */
        ROTATION_STARTED,
        /** The node took the new secret; the old one no longer opens it. */
        ROTATED,
        /** An administrator revoked the node: the server stopped using it. */
        REVOKED,
        /** After revocation the node took a secret nobody keeps: the last one no longer opens it either. */
        LOCKED
    }

    @Id
    private UUID id;
    @Column(nullable = false)
    private UUID nodeId;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private Kind kind;
    @Column(nullable = false)
    private String actor;
    @Column(nullable = false)
    private Instant at;
    private String detail;

    protected NodeCredentialEvent() {
    }

    NodeCredentialEvent(UUID nodeId, Kind kind, String actor, Instant at, String detail) {
        this.id = UUID.randomUUID();
        this.nodeId = nodeId;
        this.kind = kind;
        this.actor = actor;
        this.at = at;
        this.detail = detail;
    }

    CredentialEventView view() {
        return new CredentialEventView(kind.name(), actor, at, detail);
    }

    /** As the API lists it. */
    record CredentialEventView(String kind, String actor, Instant at, String detail) {
    }
}

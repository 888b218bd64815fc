package io.vcc.server.node;

import io.vcc.api.node.NodeKind;
import io.vcc.api.node.Visibility;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

@Entity
@Table(name = "node")
class Node {

    @Id
    private UUID id;
    @Column(nullable = false, unique = true)
    private String name;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private NodeKind kind;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private Visibility visibility;
    @Column(nullable = false)
    private String baseUrl;
    private String proxy;
    @Column(nullable = false)
    private UUID cloudId;
    @Column(nullable = false)
    private String services;
    @Column(nullable = false)
    private String version;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private NodeState status;
    @Column(nullable = false)
    private Instant statusChangedAt;
    private Instant lastSeenAt;
    private Instant startedAt;
    @Column(nullable = false, unique = true)
    private String username;
    @Column(nullable = false)
    private String secretEncrypted;
    @Column(nullable = false)
    private Instant registeredAt;
    private Instant revokedAt;
    private String revokedBy;
    private String pendingSecretEncrypted;

    protected Node() {
    }

    Node(UUID id, String name, NodeKind kind, Visibility visibility, String baseUrl, String proxy, UUID cloudId,
         List<String> services, String version, String username, String secretEncrypted, Instant now) {
        this.id = id;
        this.name = name;
        this.kind = kind;
        this.visibility = visibility;
        this.baseUrl = baseUrl;
        this.proxy = proxy;
        this.cloudId = cloudId;
        this.services = String.join(",", services);
        this.version = version;
        this.status = NodeState.RUNNING;
        this.statusChangedAt = now;
        this.lastSeenAt = now;
        this.username = username;
        this.secretEncrypted = secretEncrypted;
        this.registeredAt = now;
    }

    UUID id() {
        return id;
    }

    String name() {
        return name;
    }

    String baseUrl() {
        return baseUrl;
    }

    String proxy() {
        return proxy;
    }

    String username() {
        return username;
    }

    String secretEncrypted() {
        return secretEncrypted;
    }

    NodeState status() {
        return status;
    }

    /**
     * Records when the node's process started; returns whether the node may have lost what it was programmed
     * with: it started again since the last poll, or this is the first start the server sees, since a node can
     * be programmed and restart before its first poll. Compared in milliseconds: the database keeps
     * microseconds, the node may report nanoseconds.
     */
    boolean started(Instant reported) {
        Instant start = reported.truncatedTo(ChronoUnit.MILLIS);
        boolean restarted = startedAt == null || !start.equals(startedAt.truncatedTo(ChronoUnit.MILLIS));
        startedAt = start;
        return restarted;
    }

    /** Records a poll's outcome; returns whether the status changed. */
    boolean observed(NodeState observed, Instant now) {
        if (revoked()) {
            return false;
        }
        if (observed == NodeState.RUNNING) {
            lastSeenAt = now;
        }
        if (observed == status) {
            return false;
        }
        status = observed;
        statusChangedAt = now;
        return true;
    }

    // ---- credentials: see NodeCredentials --------------------------------------------------------

    boolean revoked() {
        return revokedAt != null;
    }

    Instant revokedAt() {
        return revokedAt;
    }

    String revokedBy() {
        return revokedBy;
    }

    void revoke(String actor, Instant now) {
        revokedAt = now;
        revokedBy = actor;
        status = NodeState.REVOKED;
        statusChangedAt = now;
    }

    String pendingSecretEncrypted() {
        return pendingSecretEncrypted;
    }

    void secretPending(String encrypted) {
        pendingSecretEncrypted = encrypted;
    }

    /** The node took the pending secret: it is the one to log in with from now on. */
    void secretTaken() {
        secretEncrypted = pendingSecretEncrypted;
        pendingSecretEncrypted = null;
    }

    NodeView view() {
        return new NodeView(id, name, kind, visibility, baseUrl, proxy, cloudId,
                services.isEmpty() ? List.of() : Arrays.asList(services.split(",")), version, status,
                statusChangedAt, lastSeenAt, registeredAt, revokedAt, revokedBy);
    }
}

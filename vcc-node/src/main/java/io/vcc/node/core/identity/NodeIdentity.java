package io.vcc.node.core.identity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** The one row that says who this node is since it registered; its secret only as a hash. */
@Entity
@Table(name = "node_identity")
public class NodeIdentity {

    static final int SINGLETON = 1;

    @Id
    private int id = SINGLETON;
    @Column(nullable = false)
    private UUID nodeId;
    @Column(nullable = false)
    private String username;
    @Column(nullable = false)
    private String secretHash;
    @Column(nullable = false)
    private String serverUrl;
    @Column(nullable = false)
    private Instant registeredAt;

    protected NodeIdentity() {
    }

    public static NodeIdentity registered(UUID nodeId, String username, String secretHash, String serverUrl, Instant registeredAt) {
        return new NodeIdentity(nodeId, username, secretHash, serverUrl, registeredAt);
    }

    private NodeIdentity(UUID nodeId, String username, String secretHash, String serverUrl, Instant registeredAt) {
        this.nodeId = nodeId;
        this.username = username;
        this.secretHash = secretHash;
        this.serverUrl = serverUrl;
        this.registeredAt = registeredAt;
    }

    public UUID nodeId() {
        return nodeId;
    }

    public String username() {
        return username;
    }

    public String secretHash() {
        return secretHash;
    }

    /** The server gave this node a new secret; the old one stops opening sessions. */
    public void secretHash(String secretHash) {
        this.secretHash = secretHash;
    }

    public String serverUrl() {
        return serverUrl;
    }

    public Instant registeredAt() {
        return registeredAt;
    }
}

package io.vcc.server.network;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/** A tenant network in one cloud: the node that carries it, the cloud-local VNI and the cloud's VTEPs. */
@Entity
@Table(name = "network_segment")
@IdClass(NetworkSegment.Key.class)
class NetworkSegment {

    @Id
    private UUID networkId;
    @Id
    private UUID cloudId;
    @Column(nullable = false)
    private UUID nodeId;
    private int vni;
    @Column(nullable = false)
    private String localVteps;
    @Column(nullable = false)
    private Instant createdAt;

    protected NetworkSegment() {
    }

    NetworkSegment(UUID networkId, UUID cloudId, UUID nodeId, int vni, List<String> localVteps, Instant createdAt) {
        this.networkId = networkId;
        this.cloudId = cloudId;
        this.nodeId = nodeId;
        this.vni = vni;
        this.localVteps = String.join(",", localVteps);
        this.createdAt = createdAt;
    }

    UUID networkId() {
        return networkId;
    }

    UUID cloudId() {
        return cloudId;
    }

    UUID nodeId() {
        return nodeId;
    }

    int vni() {
        return vni;
    }

    List<String> localVteps() {
        return localVteps.isEmpty() ? List.of() : Arrays.asList(localVteps.split(","));
    }

    static final class Key implements Serializable {
        private UUID networkId;
        private UUID cloudId;

        Key() {
        }

        Key(UUID networkId, UUID cloudId) {
            this.networkId = networkId;
            this.cloudId = cloudId;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key that && Objects.equals(networkId, that.networkId) && Objects.equals(cloudId, that.cloudId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(networkId, cloudId);
        }
    }
}

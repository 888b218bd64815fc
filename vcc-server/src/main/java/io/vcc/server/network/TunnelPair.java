package io.vcc.server.network;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * Two nodes that tunnel to each other and the id of their current key (never the key). The pair is kept
 * in one order, by the ids' text, which is also PostgreSQL's order of UUIDs, so the check in the table holds.
 */
@Entity
@Table(name = "tunnel_pair")
@IdClass(TunnelPair.Key.class)
class TunnelPair {

    static final int MAX_KEY_ID = 255;

    @Id
    @Column(name = "node_a")
    private UUID nodeA;
    @Id
    @Column(name = "node_b")
    private UUID nodeB;
    private int keyId;
    @Column(nullable = false)
    private Instant keyedAt;

    protected TunnelPair() {
    }

    TunnelPair(Key key, Instant now) {
        this.nodeA = key.nodeA;
        this.nodeB = key.nodeB;
        this.keyId = 0;
        this.keyedAt = now;
    }

    int keyId() {
        return keyId;
    }

    /** The next key id, 1..255 and round again: ids only tell the current key from the one before. */
    int nextKey(Instant now) {
        keyId = keyId >= MAX_KEY_ID ? 1 : keyId + 1;
        keyedAt = now;
        return keyId;
    }

    static Key key(UUID one, UUID other) {
        return one.toString().compareTo(other.toString()) < 0 ? new Key(one, other) : new Key(other, one);
    }

    static final class Key implements Serializable {
        private UUID nodeA;
        private UUID nodeB;

        Key() {
        }

        Key(UUID nodeA, UUID nodeB) {
            this.nodeA = nodeA;
            this.nodeB = nodeB;
        }

        UUID nodeA() {
            return nodeA;
        }

        UUID nodeB() {
            return nodeB;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key that && Objects.equals(nodeA, that.nodeA) && Objects.equals(nodeB, that.nodeB);
        }

        @Override
        public int hashCode() {
            return Objects.hash(nodeA, nodeB);
        }
    }
}

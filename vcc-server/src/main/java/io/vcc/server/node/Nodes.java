package io.vcc.server.node;

import io.vcc.api.node.NodeKind;
import java.util.Collection;
import jakarta.persistence.LockModeType;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;

interface Nodes extends JpaRepository<Node, UUID> {

    boolean existsByName(String name);

    List<Node> findAllByOrderByName();

    List<Node> findByCloudIdAndKindInOrderByName(UUID cloudId, Collection<NodeKind> kinds);

    List<Node> findByRevokedAtIsNull();

    List<Node> findByPendingSecretEncryptedIsNotNull();

    /**
     * The node with its row locked until the transaction ends. Every change to a node reads it this way: a node
     * is written back whole, so a status poll that read it just before a revocation committed would otherwise
     * write the node back as running and unrevoked.
     */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    Optional<Node> findLockedById(UUID id);
}

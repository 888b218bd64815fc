package io.vcc.server.node;

import io.vcc.api.node.NodeKind;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

interface Nodes extends JpaRepository<Node, UUID> {

    boolean existsByName(String name);

    List<Node> findAllByOrderByName();

    List<Node> findByCloudIdAndKindInOrderByName(UUID cloudId, Collection<NodeKind> kinds);

    List<Node> findByRevokedAtIsNull();

    List<Node> findByPendingSecretEncryptedIsNotNull();
}

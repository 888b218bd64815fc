package io.vcc.server.node;

import java.util.List;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

interface NodeCredentialEvents extends JpaRepository<NodeCredentialEvent, UUID> {

    List<NodeCredentialEvent> findByNodeIdOrderByAt(UUID nodeId);
}

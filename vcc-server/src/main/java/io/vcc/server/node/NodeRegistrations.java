package io.vcc.server.node;

import jakarta.persistence.LockModeType;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;

interface NodeRegistrations extends JpaRepository<NodeRegistration, UUID> {

    /** Locked, so two nodes racing with one token cannot both register. */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    Optional<NodeRegistration> findByTokenHash(String tokenHash);

    List<NodeRegistration> findAllByOrderByCreatedAtDesc();
}

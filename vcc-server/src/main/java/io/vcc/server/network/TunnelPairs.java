package io.vcc.server.network;

import jakarta.persistence.LockModeType;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;

interface TunnelPairs extends JpaRepository<TunnelPair, TunnelPair.Key> {

    /** The pair, locked until the transaction ends: two rotations of one pair must not issue the same id. */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select p from TunnelPair p where p.nodeA = :nodeA and p.nodeB = :nodeB")
    Optional<TunnelPair> findLocked(UUID nodeA, UUID nodeB);
}

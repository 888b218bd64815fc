package io.vcc.server.network;

import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;

interface TunnelPairs extends JpaRepository<TunnelPair, TunnelPair.Key> {

    /** The pair, locked until the transaction ends: two rotations of one pair must not issue the same id. */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select p from TunnelPair p where p.nodeA = :nodeA and p.nodeB = :nodeB")
    Optional<TunnelPair> findLocked(UUID nodeA, UUID nodeB);

    /** Makes the pair's row (no key yet) exist; a concurrent transaction that made it first is no error. */
    @Modifying
    @Query(value = "insert into tunnel_pair (node_a, node_b, key_id, keyed_at) values (:nodeA, :nodeB, 0, :now) on conflict do nothing",
            nativeQuery = true)
    void insertIfAbsent(UUID nodeA, UUID nodeB, Instant now);
}

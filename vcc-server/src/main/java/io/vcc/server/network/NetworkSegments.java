package io.vcc.server.network;

import java.util.List;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

interface NetworkSegments extends JpaRepository<NetworkSegment, NetworkSegment.Key> {

    List<NetworkSegment> findByNetworkIdOrderByCreatedAtAscCloudIdAsc(UUID networkId);

    boolean existsByCloudId(UUID cloudId);

    /** Whether some tenant network still spans both nodes, i.e. whether they still need their tunnel. */
    @Query("""
            select count(a) > 0 from NetworkSegment a, NetworkSegment b
            where a.networkId = b.networkId and a.nodeId = :one and b.nodeId = :other""")
    boolean shareANetwork(UUID one, UUID other);
}

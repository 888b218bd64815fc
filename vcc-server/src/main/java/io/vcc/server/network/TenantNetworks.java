package io.vcc.server.network;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

/** Every read takes the caller's tenant scope ({@code null} for an admin): another tenant's network is not found. */
interface TenantNetworks extends JpaRepository<TenantNetwork, UUID> {

    @Query("select n from TenantNetwork n where n.id = :id and (:scope is null or n.tenantId = :scope)")
    Optional<TenantNetwork> findVisible(UUID id, UUID scope);

    @Query("""
            select n from TenantNetwork n
            where (:scope is null or n.tenantId = :scope)
              and (:tenantId is null or n.tenantId = :tenantId)
            order by n.createdAt, n.name""")
    List<TenantNetwork> findAllVisible(UUID scope, UUID tenantId);

    boolean existsByTenantIdAndVlanId(UUID tenantId, int vlanId);

    boolean existsByTenantIdAndName(UUID tenantId, String name);

    long countByTenantId(UUID tenantId);
}

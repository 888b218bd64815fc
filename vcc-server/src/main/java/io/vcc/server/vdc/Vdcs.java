package io.vcc.server.vdc;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

/** Every read takes the caller's tenant scope ({@code null} for an admin): another tenant's VDC is not found. */
interface Vdcs extends JpaRepository<Vdc, UUID> {

    @Query("select v from Vdc v where v.id = :id and (:scope is null or v.tenantId = :scope)")
    Optional<Vdc> findVisible(UUID id, UUID scope);

    @Query("""
            select v from Vdc v
            where (:scope is null or v.tenantId = :scope)
              and (:tenantId is null or v.tenantId = :tenantId)
              and (:cloudId is null or v.cloudId = :cloudId)
            order by v.name""")
    List<Vdc> findVisible(UUID scope, UUID tenantId, UUID cloudId);

    boolean existsByTenantIdAndCloudIdAndName(UUID tenantId, UUID cloudId, String name);
}

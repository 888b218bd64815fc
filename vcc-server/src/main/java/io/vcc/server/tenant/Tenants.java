package io.vcc.server.tenant;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

interface Tenants extends JpaRepository<Tenant, UUID> {

    /** The tenant if the caller's scope ({@code null} for an admin) lets them see it. */
    @Query("select t from Tenant t where t.id = :id and (:scope is null or t.id = :scope)")
    Optional<Tenant> findVisible(UUID id, UUID scope);

    @Query("select t from Tenant t where (:scope is null or t.id = :scope) order by t.name")
    List<Tenant> findAllVisible(UUID scope);

    boolean existsByName(String name);
}

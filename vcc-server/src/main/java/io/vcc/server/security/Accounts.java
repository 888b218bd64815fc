package io.vcc.server.security;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;

interface Accounts extends JpaRepository<Account, UUID> {

    Optional<Account> findByUsername(String username);

    boolean existsByUsername(String username);

    boolean existsByRole(Role role);

    List<Account> findByTenantIdOrderByUsername(UUID tenantId);

    Optional<Account> findByIdAndTenantId(UUID id, UUID tenantId);

    @Modifying
    @Query("delete from Account a where a.tenantId = :tenantId")
    int deleteByTenant(UUID tenantId);
}

package io.vcc.server.tenant;

import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import io.vcc.server.security.AccountService;
import io.vcc.server.security.CurrentUser;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Tenants as the rest of the server sees them, always through the caller's tenant scope. */
@Service
@Transactional
public class TenantDirectory {

    private final Tenants tenants;
    private final AccountService accounts;
    private final Clock clock;

    TenantDirectory(Tenants tenants, AccountService accounts, Clock clock) {
        this.tenants = tenants;
        this.accounts = accounts;
        this.clock = clock;
    }

    /** The tenant, or 404 when it does not exist or belongs to someone else. */
    @Transactional(readOnly = true)
    public TenantView visible(UUID id) {
        return tenants.findVisible(id, CurrentUser.tenantScope()).map(Tenant::view)
                .orElseThrow(() -> VccProblemException.notFound("Tenant", id));
    }

    /** The tenant's name for the server's own background work, which has no caller and so no scope. */
    @Transactional(readOnly = true)
    public String nameForSystem(UUID id) {
        return tenants.findById(id).map(Tenant::view).map(TenantView::name)
                .orElseThrow(() -> VccProblemException.notFound("Tenant", id));
    }

    @Transactional(readOnly = true)
    public List<TenantView> allVisible() {
        return tenants.findAllVisible(CurrentUser.tenantScope()).stream().map(Tenant::view).toList();
    }

    TenantView create(String name, String displayName) {
        if (tenants.existsByName(name)) {
            throw new VccProblemException(ProblemType.DUPLICATE, "A tenant named " + name + " already exists");
        }
        return tenants.save(new Tenant(name, displayName == null || displayName.isBlank() ? name : displayName, clock.instant())).view();
    }

    /** Sets how many layer-2 networks the tenant may have ({@code null}: the server's default). */
    TenantView limitNetworks(UUID id, Integer quota) {
        Tenant tenant = tenants.findById(id).orElseThrow(() -> VccProblemException.notFound("Tenant", id));
        tenant.limitNetworks(quota);
        return tenants.saveAndFlush(tenant).view();
    }

    void delete(UUID id) {
        Tenant tenant = tenants.findById(id).orElseThrow(() -> VccProblemException.notFound("Tenant", id));
        accounts.deleteAllOfTenant(id);
        tenants.delete(tenant);
        tenants.flush();
    }
}

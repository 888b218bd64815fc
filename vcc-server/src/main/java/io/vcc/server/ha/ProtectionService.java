package io.vcc.server.ha;

import io.vcc.api.ha.HaInventory;
import io.vcc.api.ha.HaVmInfo;
import io.vcc.api.ha.HypervisorInfo;
import io.vcc.api.ha.HypervisorKind;
import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import io.vcc.server.security.CurrentUser;
import io.vcc.server.tenant.TenantDirectory;
import io.vcc.server.tenant.TenantView;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.stereotype.Service;

/**
 * Protections. An admin protects a whole customer hypervisor (or a VM, for a tenant); a tenant admin protects
 * one of its own VMs (the VM's tenant is the tenant's name in the node's inventory); another tenant's VM, like any
 * protection not the caller's, is not found.
 */
@Service
class ProtectionService {

    private final Protections protections;
    private final PoolService pools;
    private final TenantDirectory tenants;
    private final Clock clock;
    private final Replicator replicator;

    ProtectionService(Protections protections, PoolService pools, TenantDirectory tenants, Clock clock, Replicator replicator) {
        this.replicator = replicator;
        this.protections = protections;
        this.pools = pools;
        this.tenants = tenants;
        this.clock = clock;
    }

    Protection create(UUID poolId, String hypervisorId, String vmId, int rpoSeconds, UUID tenantId) {
        UUID scope = CurrentUser.tenantScope();
        if (scope != null) {
            if (vmId == null) {
                throw new VccProblemException(ProblemType.FORBIDDEN, "A tenant protects its VMs; whole hypervisors are protected by an admin");
            }
            tenantId = scope;
        }
        String tenantName = tenantId == null ? null : tenants.visible(tenantId).name();
        Pool pool = pools.pool(poolId);
        HaInventory inventory = pools.inventory(pool);
        inventory.hypervisors().stream().filter(h -> h.id().equals(hypervisorId) && h.kind() == HypervisorKind.CUSTOMER).findFirst()
                .orElseThrow(() -> VccProblemException.notFound("Customer hypervisor", hypervisorId));
        if (vmId != null) {
            HaVmInfo vm = inventory.vms().stream().filter(v -> v.id().equals(vmId) && v.hypervisorId().equals(hypervisorId))
                    .filter(v -> tenantName == null || tenantName.equals(v.tenant())).findFirst()
                    .orElseThrow(() -> VccProblemException.notFound("VM", vmId));
            if (tenantId == null) {
                throw new VccProblemException(ProblemType.VALIDATION, "A VM's protection names the tenant of VM " + vm.name());
            }
        }
        Protection protection = new Protection(UUID.randomUUID(), tenantId, poolId, hypervisorId, vmId, rpoSeconds, clock.instant());
        protections.insert(protection);
        replicator.schedule(protection.id());
        return protection;
    }

    /**
     * What the caller may protect in the pool's cloud, as choices: for an admin each customer hypervisor whole and every
     * VM on one (with its tenant, when a tenant of that name exists), for a tenant admin its own VMs only.
     */
    List<Protectable> protectable(UUID poolId) {
        UUID scope = CurrentUser.tenantScope();
        Map<String, UUID> tenantIds = tenants.allVisible().stream().collect(Collectors.toMap(TenantView::name, TenantView::id));
        HaInventory inventory = pools.inventory(pools.pool(poolId));
        Map<String, String> customers = inventory.hypervisors().stream().filter(h -> h.kind() == HypervisorKind.CUSTOMER)
                .collect(Collectors.toMap(HypervisorInfo::id, HypervisorInfo::name, (a, b) -> a, LinkedHashMap::new));
        List<Protectable> choices = new ArrayList<>();
        if (scope == null) {
            customers.forEach((id, name) -> choices.add(new Protectable(id, name, null, null, null, null)));
        }
        inventory.vms().stream()
                .filter(vm -> customers.containsKey(vm.hypervisorId()) && tenantIds.containsKey(vm.tenant()))
                .forEach(vm -> choices.add(new Protectable(vm.hypervisorId(), customers.get(vm.hypervisorId()), vm.id(), vm.name(),
                        tenantIds.get(vm.tenant()), vm.tenant())));
        return choices;
    }

    /** A choice of {@link #protectable}: a customer hypervisor whole ({@code vmId} null) or one VM on it, of {@code tenant}. */
    record Protectable(String hypervisorId, String hypervisorName, String vmId, String vmName, UUID tenantId, String tenant) {
    }

    List<Protection> list() {
        return protections.list(CurrentUser.tenantScope());
    }

    Protection get(UUID id) {
        return protections.find(id, CurrentUser.tenantScope()).orElseThrow(() -> VccProblemException.notFound("Protection", id));
    }

    void delete(UUID id) {
        Protection protection = get(id);
        if (protections.inOpenFailover(protection.id())) {
            throw new VccProblemException(ProblemType.INVALID_STATE, "Protection " + id + " is part of a failover that has not failed back");
        }
        protections.delete(id);
    }
}

package io.vcc.server.ha;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/v1/ha}: pools and their VHs, protections, failovers (list, trigger, failback). A failover or failback
 * answers {@code 202 Accepted} with the operation that runs it at {@code Location}.
 */
@RestController
@RequestMapping("/api/v1/ha")
class HaController {

    private final PoolService pools;
    private final ProtectionService protections;
    private final FailoverService failovers;

    HaController(PoolService pools, ProtectionService protections, FailoverService failovers) {
        this.pools = pools;
        this.protections = protections;
        this.failovers = failovers;
    }

    record PoolRequest(@NotNull UUID nodeId, @NotBlank @Size(max = 200) String name) {
    }

    record BurstPolicyRequest(@Min(1) @Max(100) Integer thresholdPercent) {
    }

    record ProtectionRequest(@NotNull UUID poolId, @NotBlank @Size(max = 100) String hypervisorId, @Size(max = 100) String vmId,
                             @Min(10) @Max(86400) Integer rpoSeconds, UUID tenantId) {
    }

    record FailoverRequest(@NotNull UUID protectionId, @NotNull Trigger trigger, @NotBlank @Size(max = 1000) String reason) {
    }

    @PostMapping("/pools")
    @ResponseStatus(HttpStatus.CREATED)
    @PreAuthorize("hasRole('ADMIN')")
    Pool createPool(@Valid @RequestBody PoolRequest request) {
        return pools.create(request.nodeId(), request.name());
    }

    @GetMapping("/pools")
    List<Pool> pools() {
        return pools.list();
    }

    @GetMapping("/pools/{id}")
    @PreAuthorize("hasRole('ADMIN')")
    PoolService.PoolView pool(@PathVariable UUID id) {
        return pools.view(id);
    }

    /** The pool's capacity-burst policy; a null threshold turns it off. */
    @PutMapping("/pools/{id}/burst-policy")
    @PreAuthorize("hasRole('ADMIN')")
    Pool burstPolicy(@PathVariable UUID id, @Valid @RequestBody BurstPolicyRequest request) {
        return pools.burstPolicy(id, request.thresholdPercent());
    }

    /** What the caller may protect in the pool's cloud (a tenant admin: its own VMs), for a form to offer. */
    @GetMapping("/pools/{id}/protectable")
    @PreAuthorize("hasRole('TENANT_ADMIN')")
    List<ProtectionService.Protectable> protectable(@PathVariable UUID id) {
        return protections.protectable(id);
    }

    @PostMapping("/protections")
    @ResponseStatus(HttpStatus.CREATED)
    @PreAuthorize("hasRole('TENANT_ADMIN')")
    Protection protect(@Valid @RequestBody ProtectionRequest r) {
        return protections.create(r.poolId(), r.hypervisorId(), r.vmId(), r.rpoSeconds() == null ? 300 : r.rpoSeconds(), r.tenantId());
    }

    @GetMapping("/protections")
    List<Protection> protections() {
        return protections.list();
    }

    @GetMapping("/protections/{id}")
    Protection protection(@PathVariable UUID id) {
        return protections.get(id);
    }

    @DeleteMapping("/protections/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @PreAuthorize("hasRole('TENANT_ADMIN')")
    void unprotect(@PathVariable UUID id) {
        protections.delete(id);
    }

    @GetMapping("/failovers")
    List<Failover> failovers() {
        return failovers.list();
    }

    @GetMapping("/failovers/{id}")
    Failover failover(@PathVariable UUID id) {
        return failovers.get(id);
    }

    @PostMapping("/failovers")
    @PreAuthorize("hasRole('ADMIN')")
    ResponseEntity<Failover> trigger(@Valid @RequestBody FailoverRequest request) {
        return accepted(failovers.trigger(request.protectionId(), request.trigger(), request.reason()));
    }

    @PostMapping("/failovers/{id}/failback")
    @PreAuthorize("hasRole('ADMIN')")
    ResponseEntity<Failover> failback(@PathVariable UUID id) {
        return accepted(failovers.failback(id));
    }

    private static ResponseEntity<Failover> accepted(FailoverService.Started started) {
        return ResponseEntity.accepted().location(URI.create("/api/v1/operations/" + started.operation().id())).body(started.failover());
    }
}

package io.vcc.server.vdc;

import io.swagger.v3.oas.annotations.Operation;
import io.vcc.api.node.NetworkInfo;
import io.vcc.api.node.PowerRequest;
import io.vcc.api.node.VappInfo;
import io.vcc.api.node.VmInfo;
import io.vcc.api.node.VmSpec;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/vdcs")
class VdcController {

    private final VdcService vdcs;

    VdcController(VdcService vdcs) {
        this.vdcs = vdcs;
    }

    record CreateVdc(
            @NotNull UUID tenantId,
            @NotNull UUID cloudId,
            @NotBlank @Size(max = 63) @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._-]*", message = "letters, digits, dots, dashes and underscores") String name,
            @Min(1) @Max(100_000) int cpuQuota,
            @Min(128) @Max(1 << 30) long memoryMbQuota,
            @Min(1) @Max(10_000_000) long storageGbQuota) {
    }

    @PostMapping
    @PreAuthorize("hasRole('ADMIN')")
    ResponseEntity<VdcView> create(@Valid @RequestBody CreateVdc request) {
        VdcView vdc = vdcs.create(request.tenantId(), request.cloudId(), request.name(), request.cpuQuota(),
                request.memoryMbQuota(), request.storageGbQuota());
        return ResponseEntity.created(URI.create("/api/v1/vdcs/" + vdc.id())).body(vdc);
    }

    /** The settings an admin may change on a VDC; those left out stay as they are. */
    record UpdateVdc(Boolean allowUnsignedPackages) {
    }

    @PatchMapping("/{id}")
    @PreAuthorize("hasRole('ADMIN')")
    @Operation(summary = "Change a VDC's settings (admin): allowUnsignedPackages lets packages without a manifest be imported")
    VdcView update(@PathVariable UUID id, @RequestBody UpdateVdc request) {
        return vdcs.update(id, request.allowUnsignedPackages());
    }

    @GetMapping
    List<VdcView> list(@RequestParam(required = false) UUID tenantId, @RequestParam(required = false) UUID cloudId) {
        return vdcs.list(tenantId, cloudId);
    }

    @GetMapping("/{id}")
    VdcView get(@PathVariable UUID id) {
        return vdcs.get(id);
    }

    @DeleteMapping("/{id}")
    @PreAuthorize("hasRole('ADMIN')")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@PathVariable UUID id) {
        vdcs.delete(id);
    }

    @GetMapping("/{id}/vapps")
    List<VappInfo> vapps(@PathVariable UUID id) {
        VdcService.Target target = vdcs.target(id);
        return target.node().vapps(target.remoteVdcId());
    }

    @GetMapping("/{id}/networks")
    List<NetworkInfo> networks(@PathVariable UUID id) {
        VdcService.Target target = vdcs.target(id);
        return target.node().networks(target.remoteVdcId());
    }

    @GetMapping("/{id}/vms")
    List<VmInfo> vms(@PathVariable UUID id) {
        VdcService.Target target = vdcs.target(id);
        return target.node().vms(target.remoteVdcId());
    }

    @PostMapping("/{id}/vms")
    @PreAuthorize("hasRole('TENANT_ADMIN')")
    ResponseEntity<VmInfo> provision(@PathVariable UUID id, @Valid @RequestBody VmSpec spec) {
        VdcService.Target target = vdcs.target(id);
        VmInfo vm = target.node().createVm(target.remoteVdcId(), spec);
        return ResponseEntity.created(URI.create("/api/v1/vdcs/" + id + "/vms/" + vm.id())).body(vm);
    }

    @GetMapping("/{id}/vms/{vmId}")
    VmInfo vm(@PathVariable UUID id, @PathVariable String vmId) {
        return vdcs.vm(vdcs.target(id), vmId);
    }

    @PostMapping("/{id}/vms/{vmId}/power")
    VmInfo power(@PathVariable UUID id, @PathVariable String vmId, @Valid @RequestBody PowerRequest request) {
        VdcService.Target target = vdcs.target(id);
        vdcs.vm(target, vmId);
        return target.node().power(vmId, request);
    }

    @DeleteMapping("/{id}/vms/{vmId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @PreAuthorize("hasRole('TENANT_ADMIN')")
    void deleteVm(@PathVariable UUID id, @PathVariable String vmId) {
        VdcService.Target target = vdcs.target(id);
        vdcs.vm(target, vmId);
        target.node().deleteVm(vmId);
    }
}

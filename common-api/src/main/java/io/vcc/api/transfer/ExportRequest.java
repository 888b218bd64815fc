package io.vcc.api.transfer;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

/** Export a VM, vApp or template ({@code kind}, default VM) of this node's cloud into an OVF package in the node's staging area. */
public record ExportRequest(PackageKind kind, @NotBlank String sourceId, @Min(4096) @Max(1 << 30) int chunkSize) {

    public ExportRequest {
        kind = kind == null ? PackageKind.VM : kind;
    }

    public ExportRequest(String vmId, int chunkSize) {
        this(PackageKind.VM, vmId, chunkSize);
    }
}

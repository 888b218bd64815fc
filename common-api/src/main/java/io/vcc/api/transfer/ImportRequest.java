package io.vcc.api.transfer;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * Import the verified package into a VDC of this node's cloud as {@code kind} (default VM) named
 * {@code name}: a VM, a vApp whose VMs keep their names, or a template in the VDC's catalog;
 * {@code keepMacs} for a move.
 */
public record ImportRequest(@NotBlank String vdcId,
                            @NotBlank @Size(max = 63) @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._-]*") String name,
                            boolean keepMacs, PackageKind kind) {

    public ImportRequest {
        kind = kind == null ? PackageKind.VM : kind;
    }

    public ImportRequest(String vdcId, String name, boolean keepMacs) {
        this(vdcId, name, keepMacs, PackageKind.VM);
    }
}

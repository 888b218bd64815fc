package io.vcc.server.transfer;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.UUID;

/**
 * Transfer a VM from a VDC to another VDC of the same tenant. {@code vappId} and {@code templateId} name
 * what the VM belongs to at the source and are informational here; {@code targetName} defaults to the
 * VM's name.
 */
record TransferRequest(@NotNull UUID sourceVdcId, @NotBlank String vmId, String vappId, String templateId,
                       @NotNull UUID targetVdcId, @NotNull TransferMode mode,
                       @Size(max = 63) @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._-]*") String targetName) {
}

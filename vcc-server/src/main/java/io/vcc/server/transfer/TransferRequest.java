package io.vcc.server.transfer;

import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import io.vcc.api.transfer.PackageKind;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Transfer a VM, a vApp (all its VMs, which keep their names) or a catalog template from a VDC to another
 * VDC of the same tenant: exactly one of {@code vmId}, {@code vappId}, {@code templateId}.
 * {@code targetName} names the VM, vApp or template at the target; it defaults to its name at the source.
 */
record TransferRequest(@NotNull UUID sourceVdcId, String vmId, String vappId, String templateId,
                       @NotNull UUID targetVdcId, @NotNull TransferMode mode,
                       @Size(max = 63) @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._-]*") String targetName) {

    PackageKind kind() {
        if (Stream.of(vmId, vappId, templateId).filter(id -> id != null && !id.isBlank()).count() != 1) {
            throw new VccProblemException(ProblemType.VALIDATION, "Name exactly one of vmId, vappId and templateId to transfer");
        }
        return vmId != null && !vmId.isBlank() ? PackageKind.VM : vappId != null && !vappId.isBlank() ? PackageKind.VAPP : PackageKind.TEMPLATE;
    }

    String sourceId() {
        return switch (kind()) {
            case VM -> vmId;
            case VAPP -> vappId;
            case TEMPLATE -> templateId;
        };
    }
}

package io.vcc.api.ha;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

/**
 * Where a VM is to run: {@code LIVE} moves a running VM's memory and disks from a healthy source (planned);
 * {@code RESTORE} starts it from its replica in the pool because its source is gone (failure).
 */
public record Placement(@NotBlank String hypervisorId, @NotNull Mode mode) {

    public enum Mode {
        LIVE,
        RESTORE
    }
}

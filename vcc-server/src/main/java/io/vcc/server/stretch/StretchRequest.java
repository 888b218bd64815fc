package io.vcc.server.stretch;

import jakarta.validation.constraints.NotNull;
import java.util.UUID;

/**
 * Stretch a VM ({@code vmId}) or a vApp with all its VMs ({@code vappId}; exactly one) from a VDC into a VDC of the
 * same tenant in another cloud. {@code keepSource}: the source stays powered off after the cut-over until the
 * operator commits ({@code POST /api/v1/stretch-deploys/{id}/commit}), instead of being removed once the target
 * runs.
 */
record StretchRequest(@NotNull UUID sourceVdcId, String vmId, String vappId, @NotNull UUID targetVdcId, Boolean keepSource) {

    boolean keep() {
        return Boolean.TRUE.equals(keepSource);
    }
}

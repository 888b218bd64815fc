package io.vcc.api.ha;

import jakarta.validation.constraints.NotBlank;

/** The pool system an inactive virtual hypervisor moves to (evacuation). */
public record HostChange(@NotBlank String physicalSystemId) {
}

package io.vcc.api.node;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Capture a vApp (its VMs powered off) of the VDC as a catalog template named {@code name}. */
public record TemplateSpec(
        @NotBlank @Size(max = 63) @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._-]*") String name,
        @NotBlank String vappId) {
}

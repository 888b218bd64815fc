package io.vcc.api.node;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * Make a vApp from a template: the vApp is named {@code name}; a one-VM template's VM is too, each VM of a
 * larger one is named {@code name-<its name in the template>}.
 */
public record InstantiateRequest(@NotBlank @Size(max = 40) @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._-]*") String name) {
}

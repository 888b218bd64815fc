package io.vcc.api.transfer;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Import the verified package into a VDC of this node's cloud as VM {@code name}; {@code keepMacs} for a move. */
public record ImportRequest(@NotBlank String vdcId,
                            @NotBlank @Size(max = 63) @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._-]*") String name,
                            boolean keepMacs) {
}

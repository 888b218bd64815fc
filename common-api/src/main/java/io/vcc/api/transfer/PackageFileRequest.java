package io.vcc.api.transfer;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.PositiveOrZero;

/**
 * Start receiving one file of an OVF upload: a file its descriptor references, its manifest, or its
 * certificate, of {@code length} bytes.
 */
public record PackageFileRequest(@NotBlank String vdcId, @NotBlank String name, @PositiveOrZero long length) {
}

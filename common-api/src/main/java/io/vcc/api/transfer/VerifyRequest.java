package io.vcc.api.transfer;

import jakarta.validation.constraints.NotEmpty;
import java.util.List;

/** Check the received package: every file against the manifest, and the manifest against what the source exported. */
public record VerifyRequest(@NotEmpty List<PackageFile> files) {
}

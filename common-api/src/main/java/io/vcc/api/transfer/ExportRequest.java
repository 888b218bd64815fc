package io.vcc.api.transfer;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

/** Export a VM of this node's cloud into an OVF package in the node's staging area. */
public record ExportRequest(@NotBlank String vmId, @Min(4096) @Max(1 << 30) int chunkSize) {
}

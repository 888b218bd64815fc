package io.vcc.api.node;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** A VDC to create in a cloud for an organization (the tenant), with its allocation. */
public record VdcSpec(
        @NotBlank @Size(max = 63) @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._-]*") String organization,
        @NotBlank @Size(max = 63) @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._-]*") String name,
        @Min(1) @Max(100_000) int cpuQuota,
        @Min(128) @Max(1 << 30) long memoryMbQuota,
        @Min(1) @Max(10_000_000) long storageGbQuota) {
}

package io.vcc.api.node;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * A VM to provision: one disk of {@code diskGb}, one NIC on {@code network} (the VDC's default when blank),
 * in the vApp named {@code vapp} (made when the VDC has none of that name; blank: a vApp of its own).
 * {@code antiAffinityGroup} (optional): the cloud places the VM on a host that holds no other VM of the same
 * organization in that group, or refuses it with {@code placement-failed}.
 */
public record VmSpec(
        @NotBlank @Size(max = 63) @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._-]*") String name,
        @Min(1) @Max(128) int cpus,
        @Min(128) @Max(4 * 1024 * 1024) long memoryMb,
        @Min(1) @Max(65_536) long diskGb,
        @Size(max = 63) String network,
        @Size(max = 63) @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._-]*") String vapp,
        @Size(max = 63) @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._-]*") String antiAffinityGroup) {

    public VmSpec(String name, int cpus, long memoryMb, long diskGb, String network) {
        this(name, cpus, memoryMb, diskGb, network, null, null);
    }

    public VmSpec(String name, int cpus, long memoryMb, long diskGb, String network, String vapp) {
        this(name, cpus, memoryMb, diskGb, network, vapp, null);
    }
}

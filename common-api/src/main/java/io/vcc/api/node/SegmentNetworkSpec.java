package io.vcc.api.node;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * A routed VDC network backed by a tenant layer-2 network's segment in this cloud: the NICs of VMs on it are on
 * the segment at local VXLAN {@code vni}; its edge gateway has {@code rules}.
 *
 * @param cidr    the network's IPv4 /24, e.g. {@code 192.168.10.0/24}
 * @param gateway the edge gateway's address on it
 * @param mtu     the IP MTU of the VMs' interfaces on it: the tenant network's, which its datapaths carry
 */
public record SegmentNetworkSpec(
        @NotNull @Pattern(regexp = "([0-9]{1,3}\\.){3}0/24", message = "an IPv4 /24 such as 192.168.10.0/24") String cidr,
        @NotNull @Pattern(regexp = "([0-9]{1,3}\\.){3}[0-9]{1,3}", message = "an IPv4 address") String gateway,
        @Min(1) @Max(16_777_215) int vni,
        @NotNull @Size(max = 256) List<@NotNull @Valid EdgeRule> rules,
        @Min(MIN_MTU) @Max(MAX_MTU) int mtu) {

    /** IPv4's least MTU every host must accept. */
    public static final int MIN_MTU = 576;
    /** Jumbo frames. */
    public static final int MAX_MTU = 9000;

    public SegmentNetworkSpec {
        rules = rules == null ? List.of() : List.copyOf(rules);
    }
}

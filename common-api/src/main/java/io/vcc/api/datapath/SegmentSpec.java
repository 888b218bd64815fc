package io.vcc.api.datapath;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Set;

/**
 * One tenant network as a node carries it, under the local VXLAN VNI it is put at.
 *
 * @param network     a readable name ({@code tenant/network}); it shows in counters and metrics
 * @param hostTag     the 802.1ad host tag of the tenant network
 * @param customerTag the 802.1Q customer tag of the tenant network
 * @param localVteps  {@code host:port} of the local cloud's VTEPs on this segment
 * @param peers       ids of the peer nodes the network spans
 */
public record SegmentSpec(
        @NotBlank @Size(max = 200) String network,
        @Min(1) @Max(4094) int hostTag,
        @Min(1) @Max(4094) int customerTag,
        @NotNull @Size(max = 256) List<@NotBlank String> localVteps,
        @NotNull @Size(max = 1024) Set<@NotBlank String> peers) {
}

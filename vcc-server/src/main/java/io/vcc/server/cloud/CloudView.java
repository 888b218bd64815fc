package io.vcc.server.cloud;

import io.vcc.api.node.CloudType;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A cloud as the API shows it.
 *
 * @param vtepRanges the CIDRs tenants' local VTEPs in this cloud must lie in (set by an admin); empty: none
 *                   allowed yet, unless the server has a default ({@code vcc.networks.default-vtep-ranges})
 */
public record CloudView(UUID id, String name, CloudType type, String url, boolean multiTenant, List<String> vtepRanges,
                        Instant createdAt) {

    public CloudView {
        vtepRanges = List.copyOf(vtepRanges);
    }

    /** The allowed ranges, parsed (they were checked when the admin set them). */
    public List<IpRange> vtepIpRanges() {
        return vtepRanges.stream().map(range -> IpRange.parse(range).orElseThrow()).toList();
    }
}

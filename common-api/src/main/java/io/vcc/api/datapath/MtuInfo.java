package io.vcc.api.datapath;

/**
 * What the tags and the tunnel cost, so that tenant networks can be sized: the longest tenant frame the
 * tunnel carries and the tenant IP MTU that fits, untagged and with the tenant's own 802.1Q tag.
 */
public record MtuInfo(int underlayMtu, int tunnelOverheadOctets, int maxTunneledFrame, int maxTenantMtu,
                      int maxTenantMtuWithOwnTag) {
}

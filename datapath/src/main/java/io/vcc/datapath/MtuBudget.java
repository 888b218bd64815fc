package io.vcc.datapath;

import io.vcc.datapath.frame.EthernetFrames;
import io.vcc.datapath.frame.Vxlan;
import io.vcc.datapath.tunnel.TunnelHeader;

/**
 * What the node's tags and tunnel cost in MTU, so that the server can size tenant networks. Between
 * nodes a frame carries three 4-octet tags (datacenter, host, customer), the 12-octet tunnel header and
 * the 16-octet GCM tag inside UDP and IP; a frame that does not fit the underlay MTU once wrapped is
 * dropped and counted as {@link DropReason#OVERSIZE}, never fragmented or lost silently.
 *
 * @param underlayMtu             IP MTU of the path between nodes
 * @param underlayIpUdpOctets     outer IP and UDP headers (28 for IPv4, 48 for IPv6)
 * @param mtdcTagOctets           the datacenter, host and customer tags (12)
 * @param tunnelHeaderOctets      the tunnel header (12)
 * @param authTagOctets           the AES-GCM tag (16)
 * @param tunnelOverheadOctets    all of the above together: what a tunnel datagram adds to an Ethernet frame
 * @param maxTunneledFrame        the longest Ethernet frame (addresses to payload, no FCS) the tunnel carries
 * @param maxTenantMtu            the tenant IP MTU that fits for an untagged tenant frame
 * @param maxTenantMtuWithOwnTag  the same when the tenant sends with its own 802.1Q tag
 * @param localVxlanOverheadOctets what VXLAN costs in the local cloud (outer IP, UDP, VXLAN header,
 *                                inner Ethernet header), for comparison
 */
public record MtuBudget(int underlayMtu, int underlayIpUdpOctets, int mtdcTagOctets, int tunnelHeaderOctets,
                        int authTagOctets, int tunnelOverheadOctets, int maxTunneledFrame, int maxTenantMtu,
                        int maxTenantMtuWithOwnTag, int localVxlanOverheadOctets) {

    public static final int MTDC_TAGS = 3;

    public static MtuBudget of(int underlayMtu, boolean ipv6Underlay) {
        int ipUdp = (ipv6Underlay ? 40 : 20) + 8;
        int tags = MTDC_TAGS * EthernetFrames.TAG_LENGTH;
        int overhead = ipUdp + tags + TunnelHeader.LENGTH + TunnelHeader.AUTH_TAG_LENGTH;
        int maxFrame = underlayMtu - overhead;
        int tenantMtu = maxFrame - EthernetFrames.HEADER_LENGTH;
        return new MtuBudget(underlayMtu, ipUdp, tags, TunnelHeader.LENGTH, TunnelHeader.AUTH_TAG_LENGTH, overhead,
                maxFrame, tenantMtu, tenantMtu - EthernetFrames.TAG_LENGTH,
                ipUdp + Vxlan.HEADER_LENGTH + EthernetFrames.HEADER_LENGTH);
    }
}

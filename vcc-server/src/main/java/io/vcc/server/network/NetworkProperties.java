package io.vcc.server.network;

import io.vcc.api.node.SegmentNetworkSpec;
import io.vcc.server.cloud.IpRange;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How big the allocation spaces are and what tenants may ask for ({@code vcc.networks.*}, listed with
 * defaults in vcc-server.yml).
 *
 * @param maxTag             the highest VLAN ID handed out per tag level (host, customer, datacenter); 4094 in
 *                           production, lower only to see exhaustion
 * @param firstVni           the lowest VXLAN VNI the server hands out in a cloud
 * @param lastVni            the highest
 * @param tunnelKeyBits      AES key size of the node-pair tunnel keys: 128 or 256
 * @param tenantQuota        how many networks a tenant may have unless an admin set its own quota: each takes a
 *                           host and a customer tag of the system-wide 4094
 * @param defaultVtepRanges  CIDRs tenants' VTEPs may lie in, in clouds whose admin set no ranges of their own;
 *                           empty: such clouds take no tenant VTEP at all
 * @param vtepPortMin        the lowest UDP port a tenant's VTEP may have (below 1024 are the services a
 *                           reflection attack aims at: DNS, NTP, SNMP...)
 * @param vtepPortMax        the highest
 * @param defaultMtu         the IP MTU of the VMs on a network created without one; 1400 fits a datapath whose
 *                           tunnel runs over a 1500-byte path, with room for its tags and encryption
 * @param loopbackVteps      single-machine labs and tests only: accept loopback VTEPs (still only inside the
 *                           cloud's ranges, and never at the node's own ports)
 */
@ConfigurationProperties("vcc.networks")
record NetworkProperties(@DefaultValue("4094") int maxTag, @DefaultValue("5000") int firstVni,
                         @DefaultValue("16777215") int lastVni, @DefaultValue("256") int tunnelKeyBits,
                         @DefaultValue("100") int tenantQuota, @DefaultValue List<String> defaultVtepRanges,
                         @DefaultValue("1024") int vtepPortMin, @DefaultValue("65535") int vtepPortMax,
                         @DefaultValue("1400") int defaultMtu, @DefaultValue("false") boolean loopbackVteps) {

    NetworkProperties {
        if (maxTag < 1 || maxTag > 4094) {
            throw new IllegalArgumentException("vcc.networks.max-tag must be 1..4094, was " + maxTag);
        }
        if (firstVni < 1 || lastVni > 0xFF_FFFF || firstVni > lastVni) {
            throw new IllegalArgumentException("vcc.networks.first-vni..last-vni must lie within 1..16777215");
        }
        if (tunnelKeyBits != 128 && tunnelKeyBits != 256) {
            throw new IllegalArgumentException("vcc.networks.tunnel-key-bits must be 128 or 256, was " + tunnelKeyBits);
        }
        if (tenantQuota < 0 || tenantQuota > 4094) {
            throw new IllegalArgumentException("vcc.networks.tenant-quota must be 0..4094, was " + tenantQuota);
        }
        if (vtepPortMin < 1 || vtepPortMax > 65_535 || vtepPortMin > vtepPortMax) {
            throw new IllegalArgumentException("vcc.networks.vtep-port-min..vtep-port-max must lie within 1..65535");
        }
        if (defaultMtu < SegmentNetworkSpec.MIN_MTU || defaultMtu > SegmentNetworkSpec.MAX_MTU) {
            throw new IllegalArgumentException("vcc.networks.default-mtu must be " + SegmentNetworkSpec.MIN_MTU + ".."
                    + SegmentNetworkSpec.MAX_MTU + ", was " + defaultMtu);
        }
        defaultVtepRanges = defaultVtepRanges == null ? List.of() : List.copyOf(defaultVtepRanges);
        for (String range : defaultVtepRanges) {
            if (IpRange.parse(range).isEmpty()) {
                throw new IllegalArgumentException("vcc.networks.default-vtep-ranges: '" + range
                        + "' is not a CIDR block (address/prefix with the host bits zero)");
            }
        }
    }

    List<IpRange> defaultVtepIpRanges() {
        return defaultVtepRanges.stream().map(range -> IpRange.parse(range).orElseThrow()).toList();
    }
}

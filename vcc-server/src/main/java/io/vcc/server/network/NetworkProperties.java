package io.vcc.server.network;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How big the allocation spaces are ({@code vcc.networks.*}, listed with defaults in vcc-server.yml).
 *
 * @param maxTag        the highest VLAN ID handed out per tag level (host, customer, datacenter); 4094 in
 *                      production, lower only to see exhaustion
 * @param firstVni      the lowest VXLAN VNI the server hands out in a cloud
 * @param lastVni       the highest
 * @param tunnelKeyBits AES key size of the node-pair tunnel keys: 128 or 256
 */
@ConfigurationProperties("vcc.networks")
record NetworkProperties(@DefaultValue("4094") int maxTag, @DefaultValue("5000") int firstVni,
                         @DefaultValue("16777215") int lastVni, @DefaultValue("256") int tunnelKeyBits) {

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
    }
}

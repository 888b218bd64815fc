package io.vcc.node.adapter.libvirt;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * VM NICs of libvirt domains on tenant segments ({@code vcc.libvirt.segments.*}); root and iproute2 only.
 *
 * @param enabled      put NICs on segments (per-segment bridges with kernel VXLAN devices); off, the node answers
 *                     {@code invalid-state} to segment requests
 * @param localAddress where the VXLAN devices send from (port 4789): the segments' VTEP, as the node reports it
 * @param datapath     {@code host:port} of the node's datapath local VTEP ({@code vcc.datapath.local-vtep}), where the
 *                     VXLAN devices send every frame; not port 4789 on the same address, which the devices take
 * @param networks     directory of the VDCs' networks on segments; empty: {@code libvirt-segment-networks} under the
 *                     node's home
 */
@ConfigurationProperties("vcc.libvirt.segments")
record LibvirtSegmentSettings(boolean enabled, @DefaultValue("127.0.0.1") String localAddress,
                              @DefaultValue("127.0.0.1:4790") String datapath, @DefaultValue("") String networks) {

    String datapathHost() {
        return datapath.substring(0, datapath.lastIndexOf(':'));
    }

    int datapathPort() {
        return Integer.parseInt(datapath.substring(datapath.lastIndexOf(':') + 1));
    }
}

package io.vcc.node.adapter.sim;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the simulated hypervisor puts NICs on tenant segments ({@code vcc.sim.segments.*}).
 *
 * @param vteps        the VTEPs ({@code host:port}) the simulated hosts send the segments' VXLAN from; what the
 *                     server programs as the segments' local VTEPs. Empty: none, unless {@code netns} is on
 * @param netns        back every powered-on VM's NICs on a segment with a network namespace (root and iproute2
 *                     only): a host namespace per node with a bridge and a kernel VXLAN device per segment, and
 *                     per VM a namespace whose veth has the NIC's MAC and IP on the segment's bridge, so the VM
 *                     answers on its IP (ICMP echo)
 * @param netnsUplink  the address ({@code a.b.c.d/30}, the root side) of the veth between the root namespace, where
 *                     the datapath listens ({@code vcc.datapath.local-vtep} must be this address or a wildcard), and
 *                     the node's host namespace (the next address); one /30 per node on a machine
 * @param datapathPort the port of the node's datapath local VTEP ({@code vcc.datapath.local-vtep}), where the kernel
 *                     VXLAN devices send
 */
@ConfigurationProperties("vcc.sim.segments")
record SimSegmentSettings(@DefaultValue List<String> vteps, boolean netns, @DefaultValue("10.250.1.1/30") String netnsUplink,
                          @DefaultValue("4789") int datapathPort) {

    /** The host namespace's side of the uplink, where its VXLAN devices send from (port 4789). */
    String hostAddress() {
        String root = netnsUplink.substring(0, netnsUplink.indexOf('/'));
        int last = root.lastIndexOf('.');
        return root.substring(0, last + 1) + (Integer.parseInt(root.substring(last + 1)) + 1);
    }

    String rootAddress() {
        return netnsUplink.substring(0, netnsUplink.indexOf('/'));
    }
}

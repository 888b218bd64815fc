package io.vcc.api.node;

import java.util.List;

/**
 * The NICs a node's hypervisor has on tenant segments, and the VTEPs its hypervisor sends the segments' VXLAN
 * from ({@code host:port}): the local VTEPs the server programs into the node's datapath, so nobody types them.
 */
public record SegmentPorts(List<String> vteps, List<SegmentPort> ports) {

    public SegmentPorts {
        vteps = vteps == null ? List.of() : List.copyOf(vteps);
        ports = ports == null ? List.of() : List.copyOf(ports);
    }

    public List<SegmentPort> on(int vni) {
        return ports.stream().filter(port -> port.vni() == vni).toList();
    }
}

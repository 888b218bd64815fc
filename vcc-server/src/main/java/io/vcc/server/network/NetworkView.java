package io.vcc.server.network;

import io.vcc.api.datapath.MtuInfo;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A tenant network as the API shows it, with everything allocated for it.
 *
 * @param mtu    the IP MTU of the VMs' interfaces on it, which every datapath it spans carries
 * @param clouds per cloud it spans: the node that carries it, the cloud's datacenter tag, the VXLAN VNI the
 *               cloud's VTEPs must use for it, and those VTEPs
 */
public record NetworkView(UUID id, UUID tenantId, String name, int vlanId, int hostTag, int customerTag, int mtu,
                          Instant createdAt, List<Span> clouds) {

    public NetworkView {
        clouds = List.copyOf(clouds);
    }

    /** Whether a datapath with this MTU budget carries the full-size frames of the network's VMs (none reported: yes). */
    public boolean fitsIn(MtuInfo budget) {
        return budget == null || budget.maxTenantMtu() >= mtu;
    }

    public record Span(UUID cloudId, UUID nodeId, int datacenterTag, int vni, List<String> localVteps) {

        public Span {
            localVteps = List.copyOf(localVteps);
        }
    }
}

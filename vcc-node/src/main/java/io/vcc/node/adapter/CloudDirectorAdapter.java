package io.vcc.node.adapter;

import io.vcc.api.node.CloudCapacity;
import io.vcc.api.node.NetworkInfo;
import io.vcc.api.node.VappInfo;
import io.vcc.api.node.VdcInfo;
import io.vcc.api.node.VdcSpec;
import io.vcc.api.node.VmInfo;
import java.util.List;
import java.util.Optional;

/**
 * The cloud's management layer as the node sees it: organizations (tenants), their VDCs with allocations,
 * vApps, networks and VMs, and the cloud's capacity. Implementations: {@code sim}; a real cloud director
 * speaks its REST API.
 */
public interface CloudDirectorAdapter {

    String name();

    List<String> organizations();

    /** The VDCs of one organization, or of all when {@code organization} is null. */
    List<VdcInfo> vdcs(String organization);

    Optional<VdcInfo> vdc(String vdcId);

    VdcInfo createVdc(VdcSpec spec);

    /** Refuses with {@code invalid-state} while the VDC still holds VMs. */
    void deleteVdc(String vdcId);

    List<VappInfo> vapps(String vdcId);

    List<NetworkInfo> networks(String vdcId);

    List<VmInfo> vms(String vdcId);

    CloudCapacity capacity();
}

package io.vcc.node.adapter;

import io.vcc.api.node.NetworkInfo;
import io.vcc.api.node.VappInfo;
import io.vcc.api.node.VdcInfo;
import io.vcc.api.node.VdcSpec;
import java.util.List;

/**
 * The cloud's management layer as the node sees it: on top of the inventory, creating and removing VDCs
 * with their allocations, and their vApps and networks. Implementations: {@code sim}; a real cloud director
 * speaks its REST API.
 */
public interface CloudDirectorAdapter extends CloudInventory {

    String name();

    VdcInfo createVdc(VdcSpec spec);

    /** Refuses with {@code invalid-state} while the VDC still holds VMs. */
    void deleteVdc(String vdcId);

    List<VappInfo> vapps(String vdcId);

    List<NetworkInfo> networks(String vdcId);
}

package io.vcc.node.adapter;

import io.vcc.api.node.NetworkInfo;
import io.vcc.api.node.VdcInfo;
import io.vcc.api.node.VdcSpec;
import java.util.List;

/**
 * The cloud's management layer as the node sees it: on top of the inventory, creating and removing VDCs
 * with their allocations and their networks. Implementations: {@code sim}; a real cloud director speaks its REST API.
 * The catalog of vApp templates is a {@link TemplateCatalog}: its VMs are the hypervisor's.
 */
public interface CloudDirectorAdapter extends CloudInventory {

    String name();

    VdcInfo createVdc(VdcSpec spec);

    /**
     * Refuses with {@code invalid-state} while the VDC still holds VMs or templates the director knows of; a
     * hypervisor other than the director's own keeps its VMs and templates apart, so callers ask it first.
     */
    void deleteVdc(String vdcId);

    List<NetworkInfo> networks(String vdcId);
}

package io.vcc.node.adapter;

import io.vcc.api.node.CloudCapacity;
import io.vcc.api.node.VdcInfo;
import io.vcc.api.node.VmInfo;
import java.util.List;
import java.util.Optional;

/**
 * The read-only, provider-level view of a cloud: every organization, VDC and VM, and the capacity. What an
 * SP node needs to map tenants to VMs (seed 002, FIG. 23–24).
 */
public interface CloudInventory {

    List<String> organizations();

    /** The VDCs of one organization, or of all when {@code organization} is null. */
    List<VdcInfo> vdcs(String organization);

    Optional<VdcInfo> vdc(String vdcId);

    List<VmInfo> vms(String vdcId);

    CloudCapacity capacity();
}

package io.vcc.sp.mapping;

import io.vcc.api.node.CloudOverview;
import io.vcc.api.node.OrganizationUsage;
import io.vcc.api.node.TenantVm;
import io.vcc.api.node.VdcInfo;
import io.vcc.node.adapter.CloudInventory;
import io.vcc.node.core.NodeProperties;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Service;

/**
 * Which tenant owns which VM in this shared cloud, and the cloud as a whole. Read live from the cloud's
 * inventory, so it is never stale: the cloud director is the authority on ownership.
 */
@Service
class TenantMapping {

    private final CloudInventory inventory;
    private final NodeProperties properties;

    TenantMapping(CloudInventory inventory, NodeProperties properties) {
        this.inventory = inventory;
        this.properties = properties;
    }

    List<TenantVm> vmsOf(String organization) {
        List<TenantVm> result = new ArrayList<>();
        for (VdcInfo vdc : inventory.vdcs(organization)) {
            inventory.vms(vdc.id()).forEach(vm -> result.add(new TenantVm(organization, vdc.id(), vdc.name(), vm)));
        }
        return result;
    }

    CloudOverview overview() {
        List<OrganizationUsage> organizations = inventory.organizations().stream().map(organization -> {
            List<VdcInfo> vdcs = inventory.vdcs(organization);
            int vms = vdcs.stream().mapToInt(vdc -> inventory.vms(vdc.id()).size()).sum();
            return new OrganizationUsage(organization, vdcs.size(), vms,
                    vdcs.stream().mapToInt(VdcInfo::cpuUsed).sum(),
                    vdcs.stream().mapToLong(VdcInfo::memoryMbUsed).sum(),
                    vdcs.stream().mapToLong(VdcInfo::storageGbUsed).sum());
        }).toList();
        return new CloudOverview(properties.cloud().name(), inventory.capacity(), organizations);
    }
}

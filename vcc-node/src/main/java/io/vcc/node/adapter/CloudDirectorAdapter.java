package io.vcc.node.adapter;

import io.vcc.api.node.InstantiateRequest;
import io.vcc.api.node.NetworkInfo;
import io.vcc.api.node.TemplateInfo;
import io.vcc.api.node.TemplateSpec;
import io.vcc.api.node.VappInfo;
import io.vcc.api.node.VdcInfo;
import io.vcc.api.node.VdcSpec;
import java.util.List;
import java.util.Optional;

/**
 * The cloud's management layer as the node sees it: on top of the inventory, creating and removing VDCs
 * with their allocations, their vApps and networks, and the catalog of vApp templates. Implementations: {@code sim}; a real cloud director
 * speaks its REST API.
 */
public interface CloudDirectorAdapter extends CloudInventory {

    String name();

    VdcInfo createVdc(VdcSpec spec);

    /** Refuses with {@code invalid-state} while the VDC still holds VMs. */
    void deleteVdc(String vdcId);

    List<NetworkInfo> networks(String vdcId);

    /** The VDC's catalog: its vApp templates. */
    List<TemplateInfo> templates(String vdcId);

    Optional<TemplateInfo> template(String templateId);

    /**
     * Copies a vApp of the VDC into its catalog as a template; refuses with {@code invalid-state} while one
     * of its VMs runs, {@code duplicate} for a name the catalog has, {@code quota-exceeded} when the copy's
     * disks do not fit the VDC's storage.
     */
    TemplateInfo captureTemplate(String vdcId, TemplateSpec spec);

    /** A new vApp in the template's VDC with copies of the template's VMs, within the VDC's quota. */
    VappInfo instantiateTemplate(String templateId, InstantiateRequest request);

    void deleteTemplate(String templateId);

    /** Creates a template in the VDC's catalog from imported VMs, within the VDC's storage quota. */
    TemplateInfo importTemplate(String vdcId, String name, List<VmImport> vms);
}

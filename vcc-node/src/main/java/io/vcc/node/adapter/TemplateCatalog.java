package io.vcc.node.adapter;

import io.vcc.api.node.InstantiateRequest;
import io.vcc.api.node.TemplateInfo;
import io.vcc.api.node.TemplateSpec;
import io.vcc.api.node.VappInfo;
import java.util.List;
import java.util.Optional;

/**
 * The VDCs' catalogs of vApp templates. Apart from {@link CloudDirectorAdapter} because a template's VMs must be
 * VMs of the node's hypervisor (they are exported through it and instantiated into its VMs): the implementation
 * follows {@code vcc.adapters.hypervisor}, not the director. A template's VMs are copies that cannot be powered
 * on or deleted on their own and count only their storage against the VDC's quota.
 */
public interface TemplateCatalog {

    /** The VDC's catalog, by name; {@code not-found} for a VDC the cloud does not have. */
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

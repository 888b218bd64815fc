package io.vcc.node.adapter.sim;

import io.vcc.api.node.InstantiateRequest;
import io.vcc.api.node.TemplateInfo;
import io.vcc.api.node.TemplateSpec;
import io.vcc.api.node.VappInfo;
import io.vcc.api.problem.VccProblemException;
import io.vcc.node.adapter.TemplateCatalog;
import io.vcc.node.adapter.VmImport;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Service;

/** The simulated catalog, when the simulated hypervisor holds the VMs: its templates' VMs are simulated VMs. */
@Service
@ConditionalOnProperty(name = "vcc.adapters.hypervisor", havingValue = "sim", matchIfMissing = true)
class SimTemplates implements TemplateCatalog {

    private final SimCatalog catalog;
    private final SimVdcs vdcs;

    SimTemplates(SimCatalog catalog, SimVdcs vdcs) {
        this.catalog = catalog;
        this.vdcs = vdcs;
    }

    @Override
    public List<TemplateInfo> templates(String vdcId) {
        UUID vdc = SimIds.parse(vdcId).filter(vdcs::existsById).orElseThrow(() -> VccProblemException.notFound("VDC", vdcId));
        return catalog.templates(vdc);
    }

    @Override
    public Optional<TemplateInfo> template(String templateId) {
        return catalog.template(templateId);
    }

    @Override
    public TemplateInfo captureTemplate(String vdcId, TemplateSpec spec) {
        return catalog.capture(vdcId, spec);
    }

    @Override
    public VappInfo instantiateTemplate(String templateId, InstantiateRequest request) {
        return catalog.instantiate(templateId, request);
    }

    @Override
    public void deleteTemplate(String templateId) {
        catalog.delete(templateId);
    }

    @Override
    public TemplateInfo importTemplate(String vdcId, String name, List<VmImport> vms) {
        return catalog.importTemplate(vdcId, name, vms);
    }
}

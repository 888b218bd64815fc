package io.vcc.node.inventory;

import io.vcc.api.node.NetworkInfo;
import io.vcc.api.node.PowerRequest;
import io.vcc.api.node.InstantiateRequest;
import io.vcc.api.node.TemplateInfo;
import io.vcc.api.node.TemplateSpec;
import io.vcc.api.node.VappInfo;
import io.vcc.api.node.VdcInfo;
import io.vcc.api.node.VdcSpec;
import io.vcc.api.node.VmInfo;
import io.vcc.api.node.VmSpec;
import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import io.vcc.node.adapter.CloudDirectorAdapter;
import io.vcc.node.adapter.HypervisorAdapter;
import io.vcc.node.adapter.TemplateCatalog;
import jakarta.validation.Valid;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** The node's inventory and provisioning services (the {@code NodeApi} contract), served by the adapters. */
@RestController
@RequestMapping("/node/v1")
class InventoryController {

    private final CloudDirectorAdapter director;
    private final HypervisorAdapter hypervisor;
    private final TemplateCatalog catalog;

    InventoryController(CloudDirectorAdapter director, HypervisorAdapter hypervisor, TemplateCatalog catalog) {
        this.director = director;
        this.hypervisor = hypervisor;
        this.catalog = catalog;
    }

    @PostMapping("/vdcs")
    @ResponseStatus(HttpStatus.CREATED)
    VdcInfo createVdc(@Valid @RequestBody VdcSpec spec) {
        return director.createVdc(spec);
    }

    @GetMapping("/vdcs/{vdcId}")
    VdcInfo vdc(@PathVariable String vdcId) {
        return hypervisor.withUsage(director.vdc(vdcId).orElseThrow(() -> VccProblemException.notFound("VDC", vdcId)));
    }

    @DeleteMapping("/vdcs/{vdcId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void deleteVdc(@PathVariable String vdcId) {
        // The director knows only the VMs and templates it holds; a hypervisor of its own (libvirt) holds others.
        if (!hypervisor.vms(vdcId).isEmpty() || !catalog.templates(vdcId).isEmpty()) {
            String name = director.vdc(vdcId).map(VdcInfo::name).orElse(vdcId);
            throw new VccProblemException(ProblemType.INVALID_STATE, "VDC " + name + " still has VMs or templates; delete them first");
        }
        director.deleteVdc(vdcId);
    }

    @GetMapping("/vdcs/{vdcId}/vapps")
    List<VappInfo> vapps(@PathVariable String vdcId) {
        return hypervisor.vapps(vdcId);
    }

    @GetMapping("/vdcs/{vdcId}/networks")
    List<NetworkInfo> networks(@PathVariable String vdcId) {
        return director.networks(vdcId);
    }

    @GetMapping("/vdcs/{vdcId}/vms")
    List<VmInfo> vms(@PathVariable String vdcId) {
        return hypervisor.vms(vdcId);
    }

    @PostMapping("/vdcs/{vdcId}/vms")
    @ResponseStatus(HttpStatus.CREATED)
    VmInfo createVm(@PathVariable String vdcId, @Valid @RequestBody VmSpec spec) {
        return hypervisor.createVm(vdcId, spec);
    }

    @GetMapping("/vms/{vmId}")
    VmInfo vm(@PathVariable String vmId) {
        return hypervisor.vm(vmId).orElseThrow(() -> VccProblemException.notFound("VM", vmId));
    }

    @PostMapping("/vms/{vmId}/power")
    VmInfo power(@PathVariable String vmId, @Valid @RequestBody PowerRequest request) {
        return hypervisor.power(vmId, request.state());
    }

    @DeleteMapping("/vms/{vmId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void deleteVm(@PathVariable String vmId) {
        hypervisor.deleteVm(vmId);
    }

    @GetMapping("/vdcs/{vdcId}/templates")
    List<TemplateInfo> templates(@PathVariable String vdcId) {
        return catalog.templates(vdcId);
    }

    @PostMapping("/vdcs/{vdcId}/templates")
    @ResponseStatus(HttpStatus.CREATED)
    TemplateInfo captureTemplate(@PathVariable String vdcId, @Valid @RequestBody TemplateSpec spec) {
        return catalog.captureTemplate(vdcId, spec);
    }

    @GetMapping("/templates/{templateId}")
    TemplateInfo template(@PathVariable String templateId) {
        return catalog.template(templateId).orElseThrow(() -> VccProblemException.notFound("Template", templateId));
    }

    @PostMapping("/templates/{templateId}/instances")
    @ResponseStatus(HttpStatus.CREATED)
    VappInfo instantiateTemplate(@PathVariable String templateId, @Valid @RequestBody InstantiateRequest request) {
        return catalog.instantiateTemplate(templateId, request);
    }

    @DeleteMapping("/templates/{templateId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void deleteTemplate(@PathVariable String templateId) {
        catalog.deleteTemplate(templateId);
    }
}

package io.vcc.server.vdc;

import io.vcc.api.node.InstantiateRequest;
import io.vcc.api.node.TemplateInfo;
import io.vcc.api.node.TemplateSpec;
import io.vcc.api.node.VappInfo;
import io.vcc.api.problem.VccProblemException;
import jakarta.validation.Valid;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * A VDC's catalog of vApp templates, kept by the cloud that serves the VDC: capture a vApp (VMs powered
 * off), make a vApp from a template, remove a template. A template id is only found under its own VDC.
 */
@RestController
@RequestMapping("/api/v1/vdcs/{id}/templates")
class CatalogController {

    private final VdcService vdcs;

    CatalogController(VdcService vdcs) {
        this.vdcs = vdcs;
    }

    @GetMapping
    List<TemplateInfo> list(@PathVariable UUID id) {
        VdcService.Target target = vdcs.target(id);
        return target.node().templates(target.remoteVdcId());
    }

    @PostMapping
    @PreAuthorize("hasRole('TENANT_ADMIN')")
    ResponseEntity<TemplateInfo> capture(@PathVariable UUID id, @Valid @RequestBody TemplateSpec spec) {
        VdcService.Target target = vdcs.target(id);
        TemplateInfo template = target.node().captureTemplate(target.remoteVdcId(), spec);
        return ResponseEntity.created(URI.create("/api/v1/vdcs/" + id + "/templates/" + template.id())).body(template);
    }

    @GetMapping("/{templateId}")
    TemplateInfo get(@PathVariable UUID id, @PathVariable String templateId) {
        return template(vdcs.target(id), templateId);
    }

    @PostMapping("/{templateId}/instances")
    @ResponseStatus(HttpStatus.CREATED)
    @PreAuthorize("hasRole('TENANT_ADMIN')")
    VappInfo instantiate(@PathVariable UUID id, @PathVariable String templateId, @Valid @RequestBody InstantiateRequest request) {
        VdcService.Target target = vdcs.target(id);
        template(target, templateId);
        return target.node().instantiateTemplate(templateId, request);
    }

    @DeleteMapping("/{templateId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @PreAuthorize("hasRole('TENANT_ADMIN')")
    void delete(@PathVariable UUID id, @PathVariable String templateId) {
        VdcService.Target target = vdcs.target(id);
        template(target, templateId);
        target.node().deleteTemplate(templateId);
    }

    private static TemplateInfo template(VdcService.Target target, String templateId) {
        TemplateInfo template = target.node().template(templateId);
        if (!target.remoteVdcId().equals(template.vdcId())) {
            throw VccProblemException.notFound("Template", templateId);
        }
        return template;
    }
}

package io.vcc.server.console;

import io.vcc.server.security.ConsoleSessions;
import io.vcc.server.security.CurrentUser;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;

/** VDCs with their quota usage, and inside one its VMs, vApps and catalog templates, with what can be done to them. */
@Controller
class VdcPages {

    /** Ids that go into API paths as they are (the API checks them again). */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final List<String> RELAYED = List.of("Content-Type", "Content-Range", "ETag", "Accept-Ranges", "Content-Disposition");

    private final ConsoleApi api;

    VdcPages(ConsoleApi api) {
        this.api = api;
    }

    @GetMapping("/console/vdcs")
    String vdcs(HttpServletRequest request, Model model) {
        // The list has no usage; each VDC's own answer reads it live from its node.
        List<Object> vdcs = ((List<?>) api.get(request, "/api/v1/vdcs")).stream()
                .map(vdc -> api.get(request, "/api/v1/vdcs/" + ((Map<?, ?>) vdc).get("id"))).toList();
        model.addAttribute("vdcs", vdcs);
        model.addAttribute("clouds", api.get(request, "/api/v1/clouds"));
        model.addAttribute("tenants", CurrentUser.get().isAdmin() ? api.get(request, "/api/v1/tenants") : List.of());
        return "console/vdcs";
    }

    @PostMapping("/console/vdcs")
    String createVdc(@RequestParam Map<String, String> form, HttpServletRequest request, HttpServletResponse response, Model model) {
        ConsoleApi.Answer answer = api.call(request, "POST", "/api/v1/vdcs",
                Forms.json(form, "cpuQuota", "memoryMbQuota", "storageGbQuota"));
        if (answer.ok()) {
            return "redirect:/console/vdcs";
        }
        Forms.failed(model, response, "create-vdc", answer, form);
        return vdcs(request, model);
    }

    @GetMapping("/console/vdcs/{id}")
    String vdc(@PathVariable String id, HttpServletRequest request, Model model) {
        String vdc = vdcPath(id);
        model.addAttribute("vdc", api.get(request, vdc));
        vms(id, request, model);
        model.addAttribute("templates", api.get(request, vdc + "/templates"));
        // The upload talks tus to the API straight from the browser, with the session's token.
        model.addAttribute("apiToken", ConsoleSessions.apiToken(request.getSession(false)));
        return "console/vdc";
    }

    /** The VMs and vApps; reloaded by the page when an upload has imported a VM. */
    @GetMapping("/console/vdcs/{id}/fragments/vms")
    String vms(@PathVariable String id, HttpServletRequest request, Model model) {
        String vdc = vdcPath(id);
        model.addAttribute("vdcId", id);
        model.addAttribute("vms", api.get(request, vdc + "/vms"));
        model.addAttribute("vapps", api.get(request, vdc + "/vapps"));
        return "console/vdc :: vms";
    }

    @PostMapping("/console/vdcs/{id}/vms")
    String provision(@PathVariable String id, @RequestParam Map<String, String> form, HttpServletRequest request,
                     HttpServletResponse response, Model model) {
        return act(id, "provision", "POST", vdcPath(id) + "/vms", Forms.json(form, "cpus", "memoryMb", "diskGb"), form, request, response, model);
    }

    @PostMapping("/console/vdcs/{id}/vms/{vmId}/power")
    String power(@PathVariable String id, @PathVariable String vmId, @RequestParam String state, HttpServletRequest request,
                 HttpServletResponse response, Model model) {
        return act(id, "vm-" + vmId, "POST", vdcPath(id) + "/vms/" + id(vmId) + "/power", Map.of("state", state), Map.of(), request, response, model);
    }

    @PostMapping("/console/vdcs/{id}/vms/{vmId}/delete")
    String deleteVm(@PathVariable String id, @PathVariable String vmId, HttpServletRequest request, HttpServletResponse response, Model model) {
        return act(id, "vm-" + vmId, "DELETE", vdcPath(id) + "/vms/" + id(vmId), null, Map.of(), request, response, model);
    }

    @PostMapping("/console/vdcs/{id}/templates")
    String capture(@PathVariable String id, @RequestParam Map<String, String> form, HttpServletRequest request,
                   HttpServletResponse response, Model model) {
        return act(id, "capture", "POST", vdcPath(id) + "/templates", Forms.json(form), form, request, response, model);
    }

    @PostMapping("/console/vdcs/{id}/templates/{templateId}/instances")
    String instantiate(@PathVariable String id, @PathVariable String templateId, @RequestParam Map<String, String> form,
                       HttpServletRequest request, HttpServletResponse response, Model model) {
        return act(id, "template-" + templateId, "POST", vdcPath(id) + "/templates/" + id(templateId) + "/instances",
                Forms.json(form), form, request, response, model);
    }

    /** The OVA of a VM, vApp or template, streamed from the API as it streams it from the node (ranges pass through, so downloads resume). */
    @GetMapping("/console/vdcs/{id}/{kind:vms|vapps|templates}/{sourceId}/ova")
    void ova(@PathVariable String id, @PathVariable String kind, @PathVariable String sourceId,
             @RequestHeader(value = "Range", required = false) String range, HttpServletRequest request,
             HttpServletResponse response) throws IOException {
        Map<String, String> headers = new HashMap<>();
        if (range != null) {
            headers.put("Range", range);
        }
        HttpResponse<InputStream> answer = api.stream(request, vdcPath(id) + "/" + kind + "/" + id(sourceId) + "/ova", headers);
        response.setStatus(answer.statusCode());
        for (String header : RELAYED) {
            answer.headers().firstValue(header).ifPresent(value -> response.setHeader(header, value));
        }
        if (answer.statusCode() < 300 && answer.headers().firstValue("Content-Disposition").isEmpty()) {
            response.setHeader("Content-Disposition", "attachment; filename=\"" + sourceId + ".ova\"");
        }
        answer.headers().firstValueAsLong("Content-Length").ifPresent(response::setContentLengthLong);
        try (InputStream body = answer.body()) {
            body.transferTo(response.getOutputStream());
        }
    }

    private String act(String id, String action, String method, String path, Object json, Map<String, String> form,
                       HttpServletRequest request, HttpServletResponse response, Model model) {
        ConsoleApi.Answer answer = api.call(request, method, path, json);
        if (answer.ok()) {
            return "redirect:/console/vdcs/" + id;
        }
        Forms.failed(model, response, action, answer, form);
        return vdc(id, request, model);
    }

    private static String vdcPath(String id) {
        return "/api/v1/vdcs/" + id(id);
    }

    private static String id(String id) {
        if (!ID.matcher(id).matches()) {
            throw new ConsoleApi.ApiProblem(new ConsoleApi.Answer(404, Map.of("detail", "No such object: " + id), null));
        }
        return id;
    }
}

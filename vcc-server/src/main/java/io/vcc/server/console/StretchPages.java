package io.vcc.server.console;

import io.vcc.server.security.ConsoleSessions;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * Stretch deploys: a form that offers only what can be stretched (a source VDC, then its VMs and the same tenant's
 * VDCs in other clouds), the deploys with what went where and their operation's live progress, reverse and commit.
 */
@Controller
class StretchPages {

    private final ConsoleApi api;

    StretchPages(ConsoleApi api) {
        this.api = api;
    }

    /** One listed stretch deploy: the API's record with its operation and the names a reader knows. */
    record Row(Object id, String kind, String what, String source, String target, boolean keepSource, boolean committed,
               boolean reverse, boolean reversed, Object operation) {
    }

    @GetMapping("/console/stretch-deploys")
    String stretches(HttpServletRequest request, Model model) {
        List<?> vdcs = (List<?>) api.get(request, "/api/v1/vdcs");
        Map<Object, String> vdcNames = new HashMap<>();
        Map<Object, String> vmNames = new HashMap<>();
        for (Object each : vdcs) {
            Map<?, ?> vdc = (Map<?, ?>) each;
            vdcNames.put(vdc.get("id"), (String) vdc.get("name"));
        }
        List<?> deploys = (List<?>) api.get(request, "/api/v1/stretch-deploys");
        if (!deploys.isEmpty()) {
            // A stretched VM has left its source VDC, so its name is looked up wherever it is now.
            for (Object each : vdcs) {
                ConsoleApi.Answer vms = api.call(request, "GET", "/api/v1/vdcs/" + ((Map<?, ?>) each).get("id") + "/vms", null);
                if (vms.ok()) {
                    ((List<?>) vms.body()).forEach(vm -> vmNames.put(((Map<?, ?>) vm).get("id"), (String) ((Map<?, ?>) vm).get("name")));
                }
            }
        }
        Map<Object, Object> operations = new LinkedHashMap<>();
        for (Object each : api.listOrEmpty(request, "/api/v1/operations")) {
            operations.put(((Map<?, ?>) each).get("id"), each);
        }
        List<?> reversedIds = deploys.stream().map(d -> ((Map<?, ?>) d).get("reverseOf")).filter(Objects::nonNull).toList();
        List<Row> rows = new ArrayList<>();
        for (Object each : deploys) {
            Map<?, ?> deploy = (Map<?, ?>) each;
            Map<?, ?> operation = (Map<?, ?>) operations.get(deploy.get("id"));
            Map<?, ?> outputs = operation == null ? null : (Map<?, ?>) operation.get("outputs");
            Object targetVm = outputs == null ? null : outputs.get("targetVmId");
            String sourceId = String.valueOf(deploy.get("sourceId"));
            String name = vmNames.getOrDefault(sourceId, targetVm == null ? null : vmNames.get(targetVm));
            String what = ("VM".equals(deploy.get("kind")) ? "VM " : "vApp ") + (name != null ? name : sourceId);
            rows.add(new Row(deploy.get("id"), (String) deploy.get("kind"), what,
                    vdcNames.getOrDefault(deploy.get("sourceVdcId"), String.valueOf(deploy.get("sourceVdcId"))),
                    vdcNames.getOrDefault(deploy.get("targetVdcId"), String.valueOf(deploy.get("targetVdcId"))),
                    Boolean.TRUE.equals(deploy.get("keepSource")), Boolean.TRUE.equals(deploy.get("committed")),
                    deploy.get("reverseOf") != null, reversedIds.contains(deploy.get("id")), operation));
        }
        model.addAttribute("vdcs", vdcs);
        model.addAttribute("stretches", rows);
        model.addAttribute("apiToken", ConsoleSessions.apiToken(request.getSession(false)));
        return "console/stretch";
    }

    /** What the chosen source VDC can stretch, and where to: the same tenant's VDCs in other clouds. */
    @GetMapping("/console/stretch-deploys/choices")
    String choices(@RequestParam(required = false) String sourceVdcId, HttpServletRequest request, Model model) {
        List<Object> vms = new ArrayList<>();
        List<Object> targets = new ArrayList<>();
        if (sourceVdcId != null && !sourceVdcId.isBlank()) {
            String vdc = "/api/v1/vdcs/" + UUID.fromString(sourceVdcId);
            Map<?, ?> source = (Map<?, ?>) api.get(request, vdc);
            vms.addAll((List<?>) api.get(request, vdc + "/vms"));
            for (Object each : (List<?>) api.get(request, "/api/v1/vdcs")) {
                Map<?, ?> target = (Map<?, ?>) each;
                if (Objects.equals(target.get("tenantId"), source.get("tenantId")) && !Objects.equals(target.get("cloudId"), source.get("cloudId"))) {
                    targets.add(target);
                }
            }
        }
        model.addAttribute("vms", vms);
        model.addAttribute("targets", targets);
        return "console/stretch :: choices";
    }

    @PostMapping("/console/stretch-deploys")
    String start(@RequestParam Map<String, String> form, HttpServletRequest request, HttpServletResponse response, Model model) {
        Map<String, Object> json = Forms.json(form);
        json.put("keepSource", "on".equals(form.get("keepSource")));
        return outcome(api.call(request, "POST", "/api/v1/stretch-deploys", json), "stretch", form, request, response, model);
    }

    @PostMapping("/console/stretch-deploys/{id}/reverse")
    String reverse(@PathVariable UUID id, HttpServletRequest request, HttpServletResponse response, Model model) {
        return outcome(api.call(request, "POST", "/api/v1/stretch-deploys/" + id + "/reverse", null), "stretch-" + id, Map.of(),
                request, response, model);
    }

    @PostMapping("/console/stretch-deploys/{id}/commit")
    String commit(@PathVariable UUID id, HttpServletRequest request, HttpServletResponse response, Model model) {
        return outcome(api.call(request, "POST", "/api/v1/stretch-deploys/" + id + "/commit", null), "stretch-" + id, Map.of(),
                request, response, model);
    }

    private String outcome(ConsoleApi.Answer answer, String action, Map<String, String> form, HttpServletRequest request,
                           HttpServletResponse response, Model model) {
        if (answer.ok()) {
            return "redirect:/console/stretch-deploys";
        }
        Forms.failed(model, response, action, answer, form);
        return stretches(request, model);
    }
}

package io.vcc.server.console;

import io.vcc.server.security.ConsoleSessions;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * Transfers: a form that offers only what can be chosen (a source VDC, then what it holds and the other VDCs
 * of the same tenant), the operations with their steps and live progress (the API's event stream), cancel.
 */
@Controller
class TransferPages {

    private final ConsoleApi api;

    TransferPages(ConsoleApi api) {
        this.api = api;
    }

    @GetMapping("/console/transfers")
    String transfers(HttpServletRequest request, Model model) {
        model.addAttribute("vdcs", api.get(request, "/api/v1/vdcs"));
        List<Object> operations = new ArrayList<>(api.listOrEmpty(request, "/api/v1/operations"));
        operations.removeIf(operation -> !(operation instanceof Map<?, ?> map) || !"transfer".equals(map.get("type")));
        model.addAttribute("operations", operations);
        model.addAttribute("apiToken", ConsoleSessions.apiToken(request.getSession(false)));
        return "console/transfers";
    }

    /** What the chosen source VDC offers to transfer, and the VDCs it can go to (the same tenant's others). */
    @GetMapping("/console/transfers/choices")
    String choices(@RequestParam(required = false) String sourceVdcId, HttpServletRequest request, Model model) {
        List<Map<String, String>> items = new ArrayList<>();
        List<Object> targets = new ArrayList<>();
        if (sourceVdcId != null && !sourceVdcId.isBlank()) {
            String vdc = "/api/v1/vdcs/" + java.util.UUID.fromString(sourceVdcId);
            Map<?, ?> source = (Map<?, ?>) api.get(request, vdc);
            ((List<?>) api.get(request, vdc + "/vms")).forEach(vm -> items.add(item("vmId", "VM", (Map<?, ?>) vm)));
            ((List<?>) api.get(request, vdc + "/vapps")).forEach(vapp -> items.add(item("vappId", "vApp", (Map<?, ?>) vapp)));
            ((List<?>) api.get(request, vdc + "/templates")).forEach(template -> items.add(item("templateId", "template", (Map<?, ?>) template)));
            for (Object each : (List<?>) api.get(request, "/api/v1/vdcs")) {
                Map<?, ?> target = (Map<?, ?>) each;
                if (Objects.equals(target.get("tenantId"), source.get("tenantId")) && !Objects.equals(target.get("id"), source.get("id"))) {
                    targets.add(target);
                }
            }
        }
        model.addAttribute("items", items);
        model.addAttribute("targets", targets);
        return "console/transfers :: choices";
    }

    private static Map<String, String> item(String field, String kind, Map<?, ?> object) {
        return Map.of("value", field + ":" + object.get("id"), "label", kind + " " + object.get("name"));
    }

    @PostMapping("/console/transfers")
    String start(@RequestParam Map<String, String> form, HttpServletRequest request, HttpServletResponse response, Model model) {
        Map<String, Object> json = Forms.json(form);
        // "vmId:<id>" (or vappId, templateId): the one thing to transfer.
        if (json.remove("item") instanceof String item && item.contains(":")) {
            json.put(item.substring(0, item.indexOf(':')), item.substring(item.indexOf(':') + 1));
        }
        ConsoleApi.Answer answer = api.call(request, "POST", "/api/v1/transfers", json);
        if (answer.ok()) {
            return "redirect:/console/transfers";
        }
        Forms.failed(model, response, "transfer", answer, form);
        return transfers(request, model);
    }

    @PostMapping("/console/operations/{id}/cancel")
    String cancel(@PathVariable java.util.UUID id, HttpServletRequest request, HttpServletResponse response, Model model) {
        ConsoleApi.Answer answer = api.call(request, "DELETE", "/api/v1/operations/" + id, null);
        if (answer.ok()) {
            return "redirect:/console/transfers";
        }
        Forms.failed(model, response, "cancel-" + id, answer, Map.of());
        return transfers(request, model);
    }
}

package io.vcc.server.console;

import io.vcc.server.security.CurrentUser;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * HA: pools with their virtual hypervisors (an admin's view), protections (a tenant protects its own VMs, an admin
 * whole hypervisors), failovers with a manual trigger and failback (an admin's). What a tenant may not read is not
 * asked for, so no select offers another tenant's objects.
 */
@Controller
class HaPages {

    private static final String TARGET_SEPARATOR = "|";

    private final ConsoleApi api;

    HaPages(ConsoleApi api) {
        this.api = api;
    }

    @GetMapping("/console/ha")
    String ha(HttpServletRequest request, Model model) {
        boolean admin = CurrentUser.get().isAdmin();
        List<?> pools = (List<?>) api.get(request, "/api/v1/ha/pools");
        List<Object> views = new ArrayList<>();
        if (admin) {
            // The pool's own answer reads its systems and VHs live from the node; a node that is away leaves the pool without them.
            for (Object pool : pools) {
                ConsoleApi.Answer view = api.call(request, "GET", "/api/v1/ha/pools/" + ((Map<?, ?>) pool).get("id"), null);
                views.add(view.ok() ? view.body() : pool);
            }
        } else {
            views.addAll(pools);
        }
        model.addAttribute("pools", views);
        List<Map<String, Object>> choices = choices(request, pools);
        model.addAttribute("choices", choices);
        model.addAttribute("nothingToProtect", choices.stream().allMatch(c -> ((List<?>) c.get("options")).isEmpty()));
        model.addAttribute("nodes", admin ? api.listOrEmpty(request, "/api/v1/nodes") : List.of());
        model.addAttribute("protections", api.get(request, "/api/v1/ha/protections"));
        failovers(request, model);
        return "console/ha";
    }

    /**
     * Per pool, what the user may protect there ({@code /protectable}: an admin's customer hypervisors and VMs, a tenant's
     * own VMs), each as the one value the protect form's select sends; a pool whose node is away offers nothing.
     */
    private List<Map<String, Object>> choices(HttpServletRequest request, List<?> pools) {
        List<Map<String, Object>> choices = new ArrayList<>();
        for (Object pool : pools) {
            Map<?, ?> p = (Map<?, ?>) pool;
            ConsoleApi.Answer answer = api.call(request, "GET", "/api/v1/ha/pools/" + p.get("id") + "/protectable", null);
            List<Map<String, String>> options = new ArrayList<>();
            if (answer.ok()) {
                for (Object choice : (List<?>) answer.body()) {
                    Map<?, ?> c = (Map<?, ?>) choice;
                    String value = String.join(TARGET_SEPARATOR, String.valueOf(p.get("id")), text(c.get("hypervisorId")),
                            text(c.get("vmId")), text(c.get("tenantId")));
                    String label = c.get("vmId") == null ? "Hypervisor " + c.get("hypervisorName") + " (whole)"
                            : "VM " + c.get("vmName") + " of " + c.get("tenant") + " on " + c.get("hypervisorName");
                    options.add(Map.of("value", value, "label", label));
                }
            }
            choices.add(Map.of("pool", text(p.get("name")), "options", options));
        }
        return choices;
    }

    private static String text(Object value) {
        return value == null ? "" : value.toString();
    }

    /** The failovers; the page reloads them every few seconds while one runs. */
    @GetMapping("/console/ha/fragments/failovers")
    String failovers(HttpServletRequest request, Model model) {
        List<?> failovers = (List<?>) api.get(request, "/api/v1/ha/failovers");
        model.addAttribute("failovers", failovers);
        model.addAttribute("moving", failovers.stream().anyMatch(f -> {
            Object state = ((Map<?, ?>) f).get("state");
            return "FAILING_OVER".equals(state) || "FAILING_BACK".equals(state);
        }));
        return "console/ha :: failovers";
    }

    @PostMapping("/console/ha/pools")
    String createPool(@RequestParam Map<String, String> form, HttpServletRequest request, HttpServletResponse response, Model model) {
        return outcome(api.call(request, "POST", "/api/v1/ha/pools", Forms.json(form)), "pool", form, request, response, model);
    }

    /** The select's one value ({@link #choices}) becomes the pool, hypervisor, VM and tenant the API asks for. */
    @PostMapping("/console/ha/protections")
    String protect(@RequestParam Map<String, String> form, HttpServletRequest request, HttpServletResponse response, Model model) {
        Map<String, String> fields = new LinkedHashMap<>(form);
        String[] target = fields.getOrDefault("target", "").split(Pattern.quote(TARGET_SEPARATOR), -1);
        List<String> names = List.of("poolId", "hypervisorId", "vmId", "tenantId");
        for (int i = 0; i < names.size(); i++) {
            fields.put(names.get(i), i < target.length ? target[i] : "");
        }
        fields.remove("target");
        return outcome(api.call(request, "POST", "/api/v1/ha/protections", Forms.json(fields, "rpoSeconds")), "protection", form,
                request, response, model);
    }

    @PostMapping("/console/ha/failovers")
    String trigger(@RequestParam Map<String, String> form, HttpServletRequest request, HttpServletResponse response, Model model) {
        return outcome(api.call(request, "POST", "/api/v1/ha/failovers", Forms.json(form)), "failover", form, request, response, model);
    }

    @PostMapping("/console/ha/failovers/{id}/failback")
    String failback(@PathVariable UUID id, HttpServletRequest request, HttpServletResponse response, Model model) {
        return outcome(api.call(request, "POST", "/api/v1/ha/failovers/" + id + "/failback", null), "failover-" + id, Map.of(),
                request, response, model);
    }

    private String outcome(ConsoleApi.Answer answer, String action, Map<String, String> form, HttpServletRequest request,
                           HttpServletResponse response, Model model) {
        if (answer.ok()) {
            return "redirect:/console/ha";
        }
        Forms.failed(model, response, action, answer, form);
        return ha(request, model);
    }
}

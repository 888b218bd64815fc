package io.vcc.server.console;

import io.vcc.server.security.CurrentUser;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** Tenant layer-2 networks with their tags per cloud, and a form to stretch one across clouds. */
@Controller
class NetworkPages {

    /** How many clouds the form offers to span; the API takes more. */
    static final int FORM_CLOUDS = 2;

    private final ConsoleApi api;

    NetworkPages(ConsoleApi api) {
        this.api = api;
    }

    @GetMapping("/console/networks")
    String networks(HttpServletRequest request, Model model) {
        model.addAttribute("networks", api.get(request, "/api/v1/networks"));
        model.addAttribute("clouds", api.get(request, "/api/v1/clouds"));
        model.addAttribute("tenants", CurrentUser.get().isAdmin() ? api.get(request, "/api/v1/tenants") : List.of());
        model.addAttribute("formClouds", java.util.stream.IntStream.range(0, FORM_CLOUDS).boxed().toList());
        return "console/networks";
    }

    /**
     * What each cloud's datapath counted on the network's segment: frames and bytes from and to local ports and the
     * tunnel. Loaded by the page after it shows, so that a node that does not answer delays or fails only this.
     */
    @GetMapping("/console/networks/{id}/datapath")
    String datapath(@PathVariable java.util.UUID id, HttpServletRequest request, Model model) {
        ConsoleApi.Answer answer = api.call(request, "GET", "/api/v1/networks/" + id + "/datapath", null);
        model.addAttribute("spans", answer.ok() ? answer.body() : List.of());
        model.addAttribute("datapathProblem", answer.ok() ? null : answer.detail());
        model.addAttribute("clouds", api.get(request, "/api/v1/clouds"));
        return "console/networks :: datapath";
    }

    @PostMapping("/console/networks")
    String create(@RequestParam Map<String, String> form, HttpServletRequest request, HttpServletResponse response, Model model) {
        Map<String, Object> json = new LinkedHashMap<>();
        String tenant = CurrentUser.get().isAdmin() ? form.get("tenantId") : String.valueOf(CurrentUser.get().tenantId());
        json.put("tenantId", tenant == null || tenant.isBlank() ? null : tenant);
        json.put("name", form.getOrDefault("name", ""));
        Object vlan = Forms.json(Map.of("vlanId", form.getOrDefault("vlanId", "")), "vlanId").get("vlanId");
        json.put("vlanId", vlan == null ? 0 : vlan);
        json.putAll(Forms.json(Map.of("mtu", form.getOrDefault("mtu", "")), "mtu"));
        List<Map<String, Object>> clouds = new ArrayList<>();
        for (int i = 0; i < FORM_CLOUDS; i++) {
            String cloud = form.get("cloud" + i);
            if (cloud != null && !cloud.isBlank()) {
                List<String> vteps = Arrays.stream(form.getOrDefault("vteps" + i, "").split("[,\\s]+")).filter(v -> !v.isBlank()).toList();
                clouds.add(Map.of("cloudId", cloud, "localVteps", vteps));
            }
        }
        json.put("clouds", clouds);
        ConsoleApi.Answer answer = api.call(request, "POST", "/api/v1/networks", json);
        if (answer.ok()) {
            return "redirect:/console/networks";
        }
        Forms.failed(model, response, "create-network", answer, form);
        return networks(request, model);
    }
}

package io.vcc.server.console;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Map;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** Tenants and their users (admins; a tenant's admin sees its own tenant's users), and node registration tokens (admins). */
@Controller
class TenantPages {

    private final ConsoleApi api;

    TenantPages(ConsoleApi api) {
        this.api = api;
    }

    @GetMapping("/console/tenants")
    String tenants(HttpServletRequest request, Model model) {
        model.addAttribute("tenants", api.get(request, "/api/v1/tenants"));
        return "console/tenants";
    }

    @PostMapping("/console/tenants")
    String createTenant(@RequestParam Map<String, String> form, HttpServletRequest request, HttpServletResponse response, Model model) {
        ConsoleApi.Answer answer = api.call(request, "POST", "/api/v1/tenants", Forms.json(form));
        if (answer.ok()) {
            return "redirect:/console/tenants";
        }
        Forms.failed(model, response, "create-tenant", answer, form);
        return tenants(request, model);
    }

    @GetMapping("/console/tenants/{id}")
    String tenant(@PathVariable String id, HttpServletRequest request, Model model) {
        model.addAttribute("tenant", api.get(request, "/api/v1/tenants/" + id));
        model.addAttribute("users", api.get(request, "/api/v1/tenants/" + id + "/users"));
        return "console/tenant";
    }

    @PostMapping("/console/tenants/{id}/users")
    String createUser(@PathVariable String id, @RequestParam Map<String, String> form, HttpServletRequest request,
                      HttpServletResponse response, Model model) {
        ConsoleApi.Answer answer = api.call(request, "POST", "/api/v1/tenants/" + id + "/users", Forms.json(form));
        if (answer.ok()) {
            return "redirect:/console/tenants/" + id;
        }
        Forms.failed(model, response, "create-user", answer, form);
        return tenant(id, request, model);
    }

    @GetMapping("/console/registrations")
    String registrations(HttpServletRequest request, Model model) {
        model.addAttribute("registrations", api.get(request, "/api/v1/node-registrations"));
        return "console/registrations";
    }

    /** The new token is shown in this answer only, never again (the API keeps only its hash). */
    @PostMapping("/console/registrations")
    String issueRegistration(@RequestParam Map<String, String> form, HttpServletRequest request, HttpServletResponse response, Model model) {
        ConsoleApi.Answer answer = api.call(request, "POST", "/api/v1/node-registrations", Forms.json(form, "validMinutes"));
        if (answer.ok()) {
            model.addAttribute("issued", answer.body());
        } else {
            Forms.failed(model, response, "issue", answer, form);
        }
        return registrations(request, model);
    }
}

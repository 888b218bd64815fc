package io.vcc.server.console;

import io.vcc.server.security.ConsoleSessions;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The dashboard: clouds, nodes with their status (polled: the event stream carries operations only) and the
 * operations running now, reloaded when the event stream reports a change.
 */
@Controller
class DashboardController {

    private final ConsoleApi api;

    DashboardController(ConsoleApi api) {
        this.api = api;
    }

    @GetMapping("/console/login")
    String login() {
        return "console/login";
    }

    @GetMapping({"/console", "/console/"})
    String dashboard(HttpServletRequest request, Model model) {
        model.addAttribute("clouds", api.get(request, "/api/v1/clouds"));
        nodes(request, model);
        operations(request, model);
        // The operations list follows the API's event stream, which the browser reads with the session's token.
        model.addAttribute("apiToken", ConsoleSessions.apiToken(request.getSession(false)));
        return "console/dashboard";
    }

    @GetMapping("/console/fragments/nodes")
    String nodes(HttpServletRequest request, Model model) {
        model.addAttribute("nodes", api.listOrEmpty(request, "/api/v1/nodes"));
        return "console/dashboard :: nodes";
    }

    @GetMapping("/console/fragments/operations")
    String operations(HttpServletRequest request, Model model) {
        List<Object> running = new ArrayList<>(api.listOrEmpty(request, "/api/v1/operations?state=RUNNING"));
        running.addAll(api.listOrEmpty(request, "/api/v1/operations?state=QUEUED"));
        model.addAttribute("operations", running);
        return "console/dashboard :: operations";
    }
}

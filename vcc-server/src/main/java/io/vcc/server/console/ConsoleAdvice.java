package io.vcc.server.console;

import io.vcc.server.security.CurrentUser;
import io.vcc.server.security.VccPrincipal;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.Map;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ModelAttribute;

/** What every console page shows (who is logged in, the menu), and API problems no form can show: an error page with the API's status. */
@ControllerAdvice(basePackageClasses = ConsoleAdvice.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class ConsoleAdvice {

    @ModelAttribute("user")
    VccPrincipal user(HttpServletRequest request) {
        return request.getRequestURI().endsWith("/console/login") ? null : CurrentUser.get();
    }

    @ModelAttribute("navigation")
    List<ConsoleNavigation.Entry> navigation(HttpServletRequest request) {
        return ConsoleNavigation.ENTRIES;
    }

    @ModelAttribute("currentPath")
    String currentPath(HttpServletRequest request) {
        return request.getRequestURI();
    }

    @ModelAttribute("errors")
    Map<String, String> noErrors() {
        return Map.of();
    }

    @ModelAttribute("form")
    Map<String, String> emptyForm() {
        return Map.of();
    }

    @ExceptionHandler(ConsoleApi.ApiProblem.class)
    String problem(ConsoleApi.ApiProblem problem, HttpServletResponse response, Model model, HttpServletRequest request) {
        if (problem.answer().status() == 401) {
            return "redirect:/console/login";
        }
        response.setStatus(problem.answer().status());
        model.addAttribute("status", problem.answer().status());
        model.addAttribute("detail", problem.answer().detail());
        model.addAttribute("user", CurrentUser.get());
        model.addAttribute("navigation", ConsoleNavigation.ENTRIES);
        model.addAttribute("currentPath", request.getRequestURI());
        return "console/error";
    }
}

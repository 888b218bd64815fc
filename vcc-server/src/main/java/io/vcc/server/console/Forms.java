package io.vcc.server.console;

import jakarta.servlet.http.HttpServletResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.ui.Model;

/** Turning a console form into the API's JSON, and an API refusal back into messages beside the form's fields. */
final class Forms {

    private Forms() {
    }

    /** The form's non-empty values; those that read as whole numbers become numbers (the API checks the rest). */
    static Map<String, Object> json(Map<String, String> form, String... numbers) {
        Map<String, Object> json = new LinkedHashMap<>();
        form.forEach((name, value) -> {
            if (name.startsWith("_") || value == null || value.isBlank()) {
                return;
            }
            json.put(name, value.trim());
        });
        for (String number : numbers) {
            if (json.get(number) instanceof String text && text.matches("-?\\d{1,18}")) {
                json.put(number, Long.parseLong(text));
            }
        }
        return json;
    }

    /** Puts the API's refusal of {@code action} into the model: its detail beside the action, its field errors beside the fields. */
    static void failed(Model model, HttpServletResponse response, String action, ConsoleApi.Answer answer, Map<String, String> form) {
        response.setStatus(answer.status() >= 400 ? answer.status() : 400);
        model.addAttribute("failed", action);
        model.addAttribute("problem", answer.detail());
        model.addAttribute("errors", answer.errors());
        model.addAttribute("form", form);
    }
}

package io.vcc.support.web;

import io.vcc.api.problem.ProblemType;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Writes a problem body where no MVC handler runs (security filters, size limits). Hand-written JSON on
 * purpose: these paths must not depend on a message converter being set up.
 */
public final class ProblemResponses {

    private ProblemResponses() {
    }

    public static void write(HttpServletResponse response, ProblemType type, String detail) throws IOException {
        response.setStatus(type.status());
        response.setContentType("application/problem+json");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter().write(body(type, type.status(), detail));
    }

    /** The problem body; {@code status} is the one answered, which may differ from the type's usual one. */
    static String body(ProblemType type, int status, String detail) {
        return "{\"type\":\"" + type.uri() + "\",\"title\":\"" + escape(type.title())
                + "\",\"status\":" + status + ",\"detail\":\"" + escape(detail) + "\"}";
    }

    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length() + 8);
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}

package io.vcc.server.security;

import jakarta.servlet.http.HttpSession;

/** What a web console session holds for the console's pages: the API token its user logged in with. */
public final class ConsoleSessions {

    static final String TOKEN = "vcc.console.token";

    private ConsoleSessions() {
    }

    /** The session's API token, or {@code null} when the session has none (not logged in through the console). */
    public static String apiToken(HttpSession session) {
        return session == null ? null : (String) session.getAttribute(TOKEN);
    }
}

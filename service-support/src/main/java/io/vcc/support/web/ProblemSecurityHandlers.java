package io.vcc.support.web;

import io.vcc.api.problem.ProblemType;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

/** 401 and 403 from Spring Security as problem+json, like every other error. */
public final class ProblemSecurityHandlers {

    private ProblemSecurityHandlers() {
    }

    public static AuthenticationEntryPoint entryPoint() {
        return (request, response, e) -> ProblemResponses.write(response, ProblemType.UNAUTHORIZED,
                "Valid credentials are required: HTTP Basic, or Authorization: Bearer <token>");
    }

    public static AccessDeniedHandler accessDenied() {
        return (request, response, e) -> ProblemResponses.write(response, ProblemType.FORBIDDEN,
                "Your role does not allow this operation");
    }
}

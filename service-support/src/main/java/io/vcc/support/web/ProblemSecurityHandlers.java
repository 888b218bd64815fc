package io.vcc.support.web;

import static java.util.stream.Collectors.joining;

import io.vcc.api.problem.ProblemType;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authorization.AuthorizationDeniedException;
import org.springframework.security.authorization.ExpressionAuthorizationDecision;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

/** 401 and 403 from Spring Security as problem+json, like every other error. */
public final class ProblemSecurityHandlers {

    private static final Pattern NEEDED_ROLE = Pattern.compile("hasRole\\('(\\w+)'\\)");

    private ProblemSecurityHandlers() {
    }

    public static AuthenticationEntryPoint entryPoint() {
        return (request, response, e) -> ProblemResponses.write(response, ProblemType.UNAUTHORIZED,
                "Valid credentials are required: HTTP Basic, or Authorization: Bearer <token>");
    }

    public static AccessDeniedHandler accessDenied() {
        return (request, response, e) -> ProblemResponses.write(response, ProblemType.FORBIDDEN, deniedMessage(e));
    }

    /** Which role a {@code @PreAuthorize("hasRole('…')")} refusal needed and which the caller has: something to ask an admin for. */
    static String deniedMessage(AccessDeniedException e) {
        Authentication user = SecurityContextHolder.getContext().getAuthentication();
        if (e instanceof AuthorizationDeniedException denied && user != null
                && denied.getAuthorizationResult() instanceof ExpressionAuthorizationDecision decision) {
            Matcher needed = NEEDED_ROLE.matcher(decision.getExpression().getExpressionString());
            if (needed.find()) {
                return "This needs the " + needed.group(1) + " role; you have " + user.getAuthorities().stream()
                        .map(GrantedAuthority::getAuthority).filter(authority -> authority.startsWith("ROLE_"))
                        .map(role -> role.substring("ROLE_".length())).collect(joining(", "));
            }
        }
        return "Your role does not allow this operation";
    }
}

package io.vcc.support.web;

import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;

/**
 * Errors the servlet container dispatches to {@code /error} (a request Spring Security's firewall rejects,
 * a {@code sendError} from a filter) answered as problem+json instead of Spring Boot's own JSON or HTML.
 */
@Controller
@RequestMapping("${server.error.path:/error}")
class ProblemErrorController implements ErrorController {

    @RequestMapping
    void error(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer value && value >= 400 ? value : 500;
        if (request.getAttribute(RequestDispatcher.ERROR_EXCEPTION) instanceof VccProblemException problem) {
            ProblemResponses.write(response, problem.type(), problem.getMessage());
            return;
        }
        ProblemType type = ProblemStatuses.typeOf(status);
        response.setStatus(status);
        response.setContentType("application/problem+json");
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(ProblemResponses.body(type, status, ProblemStatuses.detailOf(status)));
    }
}

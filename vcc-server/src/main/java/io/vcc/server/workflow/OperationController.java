package io.vcc.server.workflow;

import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import io.vcc.server.security.CurrentUser;
import io.vcc.support.web.ProblemResponses;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** Long operations: where each is, cancel one, and a live stream of their changes. Another tenant's operation is not found. */
@RestController
@RequestMapping("/api/v1")
class OperationController {

    private final Workflows workflows;
    private final OperationEvents events;

    OperationController(Workflows workflows, OperationEvents events) {
        this.workflows = workflows;
        this.events = events;
    }

    @GetMapping("/operations/{id}")
    OperationView get(@PathVariable UUID id) {
        return workflows.view(id, CurrentUser.tenantScope()).orElseThrow(() -> VccProblemException.notFound("Operation", id));
    }

    @GetMapping("/operations")
    List<OperationView> list(@RequestParam(required = false) RunState state) {
        return workflows.list(CurrentUser.tenantScope(), state);
    }

    @DeleteMapping("/operations/{id}")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @PreAuthorize("hasRole('TENANT_ADMIN')")
    OperationView cancel(@PathVariable UUID id) {
        return workflows.cancel(id, CurrentUser.tenantScope());
    }

    /** Written here rather than thrown: a problem body cannot pass the handler's {@code text/event-stream} mapping. */
    @GetMapping(path = "/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter events(HttpServletResponse response) throws IOException {
        Optional<SseEmitter> emitter = events.subscribe(CurrentUser.get(), CurrentUser.apiTokenId());
        if (emitter.isEmpty()) {
            response.setHeader("Retry-After", "30");
            ProblemResponses.write(response, ProblemType.TOO_MANY_REQUESTS, "You already have " + events.maxStreamsPerUser()
                    + " event streams open, the most one user may; close one (or reuse it) before opening another");
            return null;
        }
        return emitter.get();
    }
}

package io.vcc.server.node;

import io.vcc.api.node.NodeRegistrationRequest;
import io.vcc.api.node.NodeRegistrationResponse;
import io.vcc.server.security.CurrentUser;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
class NodeRegistrationController {

    private final NodeRegistrationService registrations;

    NodeRegistrationController(NodeRegistrationService registrations) {
        this.registrations = registrations;
    }

    record IssueRegistration(@Size(max = 200) String note, @Min(1) @Max(10_080) Integer validMinutes) {
    }

    @PostMapping("/api/v1/node-registrations")
    @PreAuthorize("hasRole('ADMIN')")
    ResponseEntity<RegistrationView> issue(@Valid @RequestBody(required = false) IssueRegistration request) {
        IssueRegistration body = request == null ? new IssueRegistration(null, null) : request;
        RegistrationView view = registrations.issue(body.note(),
                Duration.ofMinutes(body.validMinutes() == null ? 60 : body.validMinutes()), CurrentUser.get().username());
        return ResponseEntity.created(URI.create("/api/v1/node-registrations/" + view.id())).body(view);
    }

    @GetMapping("/api/v1/node-registrations")
    @PreAuthorize("hasRole('ADMIN')")
    List<RegistrationView> list() {
        return registrations.all();
    }

    @DeleteMapping("/api/v1/node-registrations/{id}")
    @PreAuthorize("hasRole('ADMIN')")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void revoke(@PathVariable UUID id) {
        registrations.revoke(id);
    }

    /** Called by a node at install time; the one-time token in the body is its only credential. */
    @PostMapping("/api/v1/nodes/register")
    @ResponseStatus(HttpStatus.CREATED)
    NodeRegistrationResponse register(@Valid @RequestBody NodeRegistrationRequest request) {
        return registrations.register(request);
    }
}

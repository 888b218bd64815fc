package io.vcc.server.stretch;

import io.vcc.server.workflow.OperationView;
import jakarta.validation.Valid;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Stretch deploys: each is an operation (its id is the operation's) with a reverse and, when it kept its source, a commit. */
@RestController
@RequestMapping("/api/v1/stretch-deploys")
class StretchController {

    private final StretchService stretches;

    StretchController(StretchService stretches) {
        this.stretches = stretches;
    }

    /** What went where: the caller's stretch deploys (an admin's: all), newest first; their progress is their operation's. */
    @GetMapping
    List<StretchService.Deploy> list() {
        return stretches.list();
    }

    @PostMapping
    @PreAuthorize("hasRole('TENANT_ADMIN')")
    ResponseEntity<OperationView> start(@Valid @RequestBody StretchRequest request) {
        return accepted(stretches.start(request));
    }

    @PostMapping("/{id}/reverse")
    @PreAuthorize("hasRole('TENANT_ADMIN')")
    ResponseEntity<OperationView> reverse(@PathVariable UUID id) {
        return accepted(stretches.reverse(id));
    }

    @PostMapping("/{id}/commit")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @PreAuthorize("hasRole('TENANT_ADMIN')")
    void commit(@PathVariable UUID id) {
        stretches.commit(id);
    }

    private static ResponseEntity<OperationView> accepted(OperationView run) {
        return ResponseEntity.accepted().location(URI.create("/api/v1/operations/" + run.id())).body(run);
    }
}

package io.vcc.server.cloud;

import io.vcc.api.node.CloudType;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Clouds are shared infrastructure: every operator may list them, only an admin changes them. */
@RestController
@RequestMapping("/api/v1/clouds")
class CloudController {

    private final CloudDirectory clouds;

    CloudController(CloudDirectory clouds) {
        this.clouds = clouds;
    }

    record CreateCloud(
            @NotBlank @Size(max = 63) @Pattern(regexp = "[a-z0-9][a-z0-9-]*", message = "lower-case letters, digits and dashes") String name,
            @NotNull CloudType type,
            @Size(max = 500) String url,
            Boolean multiTenant) {
    }

    /** What an admin may change on a cloud; an absent field stays as it is. */
    record UpdateCloud(@Size(max = 64) List<@NotBlank @Size(max = 60) String> vtepRanges) {
    }

    @GetMapping
    List<CloudView> list() {
        return clouds.all();
    }

    @GetMapping("/{id}")
    CloudView get(@PathVariable UUID id) {
        return clouds.get(id);
    }

    @PostMapping
    @PreAuthorize("hasRole('ADMIN')")
    ResponseEntity<CloudView> create(@Valid @RequestBody CreateCloud request) {
        CloudView cloud = clouds.create(request.name(), request.type(), request.url(), Boolean.TRUE.equals(request.multiTenant()));
        return ResponseEntity.created(URI.create("/api/v1/clouds/" + cloud.id())).body(cloud);
    }

    /** {@code vtepRanges}: the CIDRs tenants' local VTEPs in this cloud must lie in; {@code []} allows none. */
    @PatchMapping("/{id}")
    @PreAuthorize("hasRole('ADMIN')")
    CloudView update(@PathVariable UUID id, @Valid @RequestBody UpdateCloud request) {
        return request.vtepRanges() == null ? clouds.get(id) : clouds.allowVteps(id, request.vtepRanges());
    }

    @DeleteMapping("/{id}")
    @PreAuthorize("hasRole('ADMIN')")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@PathVariable UUID id) {
        clouds.delete(id);
    }
}

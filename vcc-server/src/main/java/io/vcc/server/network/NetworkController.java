package io.vcc.server.network;

import io.vcc.api.node.SegmentNetworkSpec;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
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
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Tenant networks across clouds. Roles are checked in {@link NetworkService}; visibility in the queries. */
@RestController
@RequestMapping("/api/v1/networks")
class NetworkController {

    private static final String HOST_PORT = "(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9][A-Za-z0-9.-]*):[0-9]{1,5}";

    private final NetworkService networks;

    NetworkController(NetworkService networks) {
        this.networks = networks;
    }

    /** {@code localVteps} left out or empty: the VTEPs the cloud's node reports for its hypervisor. */
    record CloudSpan(@NotNull UUID cloudId,
                     @Size(max = 64) List<@NotBlank @Size(max = 60) @Pattern(regexp = HOST_PORT, message = "host:port") String> localVteps) {
    }

    /** {@code mtu} left out: {@code vcc.networks.default-mtu}. */
    record CreateNetwork(
            @NotNull UUID tenantId,
            @NotBlank @Size(max = 63) @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._-]*", message = "letters, digits, dots, dashes and underscores") String name,
            @Min(1) @Max(4094) int vlanId,
            @Min(SegmentNetworkSpec.MIN_MTU) @Max(SegmentNetworkSpec.MAX_MTU) Integer mtu,
            @NotNull @Size(min = 1, max = 64) List<@NotNull @Valid CloudSpan> clouds) {
    }

    @PostMapping
    @PreAuthorize("hasRole('TENANT_ADMIN')")
    ResponseEntity<NetworkView> create(@Valid @RequestBody CreateNetwork request) {
        NetworkView network = networks.create(request.tenantId(), request.name(), request.vlanId(), request.mtu(),
                request.clouds().stream().map(NetworkController::toRequest).toList());
        return ResponseEntity.created(URI.create("/api/v1/networks/" + network.id())).body(network);
    }

    @GetMapping
    List<NetworkView> list(@RequestParam(required = false) UUID tenantId) {
        return networks.list(tenantId);
    }

    @GetMapping("/{id}")
    NetworkView get(@PathVariable UUID id) {
        return networks.get(id);
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @PreAuthorize("hasRole('TENANT_ADMIN')")
    void delete(@PathVariable UUID id) {
        networks.delete(id);
    }

    /** Extends the network into one more cloud. */
    @PostMapping("/{id}/clouds")
    @PreAuthorize("hasRole('TENANT_ADMIN')")
    NetworkView extend(@PathVariable UUID id, @Valid @RequestBody CloudSpan span) {
        return networks.extend(id, toRequest(span));
    }

    @DeleteMapping("/{id}/clouds/{cloudId}")
    @PreAuthorize("hasRole('TENANT_ADMIN')")
    NetworkView retract(@PathVariable UUID id, @PathVariable UUID cloudId) {
        return networks.retract(id, cloudId);
    }

    /** Programs every node of the network again, e.g. after a node restarted and lost its tag map. */
    @PostMapping("/{id}/sync")
    @PreAuthorize("hasRole('TENANT_ADMIN')")
    NetworkView sync(@PathVariable UUID id) {
        return networks.sync(id);
    }

    @PostMapping("/{id}/tunnel-keys/rotation")
    @PreAuthorize("hasRole('ADMIN')")
    List<NetworkService.PairKey> rotateKeys(@PathVariable UUID id) {
        return networks.rotateKeys(id);
    }

    /** Per cloud: the node's tunnel address, MTU budget and this network's segment with its counters, live. */
    @GetMapping("/{id}/datapath")
    List<NetworkService.SpanTraffic> datapath(@PathVariable UUID id) {
        return networks.traffic(id);
    }

    private static NetworkService.CloudRequest toRequest(CloudSpan span) {
        return new NetworkService.CloudRequest(span.cloudId(), span.localVteps());
    }
}

package io.vcc.server.network;

import io.vcc.api.node.EdgeRule;
import io.vcc.api.node.SegmentNetworkInfo;
import io.vcc.api.node.SegmentNetworkSpec;
import io.vcc.api.node.SegmentNodeApi;
import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import io.vcc.server.node.NodeGateway;
import io.vcc.server.security.CurrentUser;
import io.vcc.server.vdc.VdcService;
import io.vcc.server.vdc.VdcView;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * VDC networks backed by a tenant layer-2 network: a routed network of the VDC on the segment the tenant network
 * has in the VDC's cloud, so that the VMs on it share one layer 2 with the tenant's VMs in every other cloud the
 * network spans.
 */
@RestController
@Validated
@RequestMapping("/api/v1/vdcs/{vdcId}/segment-networks")
class VdcNetworkController {

    private final VdcService vdcs;
    private final NetworkLedger ledger;
    private final NodeGateway nodes;

    VdcNetworkController(VdcService vdcs, NetworkLedger ledger, NodeGateway nodes) {
        this.vdcs = vdcs;
        this.ledger = ledger;
        this.nodes = nodes;
    }

    /** A VDC network on a tenant network, as the API shows it. */
    record VdcNetwork(String name, UUID networkId, int vni, String cidr, String gateway, List<EdgeRule> rules, int mtu) {
    }

    record PutVdcNetwork(@NotNull UUID networkId,
                         @NotNull @Pattern(regexp = "([0-9]{1,3}\\.){3}0/24", message = "an IPv4 /24 such as 192.168.10.0/24") String cidr,
                         @NotNull @Pattern(regexp = "([0-9]{1,3}\\.){3}[0-9]{1,3}", message = "an IPv4 address") String gateway,
                         @Size(max = 256) List<@NotNull @Valid EdgeRule> rules) {
    }

    @GetMapping
    List<VdcNetwork> list(@PathVariable UUID vdcId) {
        VdcView vdc = vdcs.visibleVdc(vdcId);
        return nodes.client(vdc.nodeId(), SegmentNodeApi.class).segmentNetworks(vdc.remoteId()).stream()
                .map(info -> view(vdc, info)).toList();
    }

    @PutMapping("/{name}")
    @PreAuthorize("hasRole('TENANT_ADMIN')")
    VdcNetwork put(@PathVariable UUID vdcId, @PathVariable @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._-]{0,62}") String name,
                   @Valid @RequestBody PutVdcNetwork request) {
        VdcView vdc = vdcs.visibleVdc(vdcId);
        NetworkView network = ledger.get(request.networkId(), CurrentUser.tenantScope());
        if (!network.tenantId().equals(vdc.tenantId())) {
            throw VccProblemException.notFound("Network", request.networkId());
        }
        NetworkView.Span span = network.clouds().stream().filter(s -> s.cloudId().equals(vdc.cloudId())).findFirst()
                .orElseThrow(() -> new VccProblemException(ProblemType.INVALID_STATE, "Network " + network.name()
                        + " does not span the VDC's cloud; extend it first (POST /api/v1/networks/" + network.id() + "/clouds)"));
        SegmentNetworkInfo info = nodes.client(vdc.nodeId(), SegmentNodeApi.class).putSegmentNetwork(vdc.remoteId(), name,
                new SegmentNetworkSpec(request.cidr(), request.gateway(), span.vni(), request.rules(), network.mtu()));
        return new VdcNetwork(info.name(), network.id(), info.vni(), info.cidr(), info.gateway(), info.rules(), info.mtu());
    }

    @DeleteMapping("/{name}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @PreAuthorize("hasRole('TENANT_ADMIN')")
    void delete(@PathVariable UUID vdcId, @PathVariable String name) {
        VdcView vdc = vdcs.visibleVdc(vdcId);
        nodes.client(vdc.nodeId(), SegmentNodeApi.class).removeSegmentNetwork(vdc.remoteId(), name);
    }

    private VdcNetwork view(VdcView vdc, SegmentNetworkInfo info) {
        UUID networkId = ledger.list(null, vdc.tenantId()).stream()
                .filter(n -> n.clouds().stream().anyMatch(s -> s.cloudId().equals(vdc.cloudId()) && s.vni() == info.vni()))
                .map(NetworkView::id).findFirst().orElse(null);
        return new VdcNetwork(info.name(), networkId, info.vni(), info.cidr(), info.gateway(), info.rules(), info.mtu());
    }
}

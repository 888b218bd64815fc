package io.vcc.node.inventory;

import io.vcc.api.node.NicAnswer;
import io.vcc.api.node.NicPlacement;
import io.vcc.api.node.SegmentNetworkInfo;
import io.vcc.api.node.SegmentNetworkSpec;
import io.vcc.api.node.SegmentPorts;
import io.vcc.api.node.VmInfo;
import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import io.vcc.node.adapter.HypervisorAdapter;
import io.vcc.node.adapter.TenantSegments;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** VM NICs on tenant segments (the {@code SegmentNodeApi} contract), served by the hypervisor's {@link TenantSegments}. */
@RestController
@Validated
@RequestMapping("/node/v1")
class SegmentController {

    private static final String NAME = "[A-Za-z0-9][A-Za-z0-9._-]{0,62}";

    private final ObjectProvider<TenantSegments> segments;
    private final HypervisorAdapter hypervisor;

    SegmentController(ObjectProvider<TenantSegments> segments, HypervisorAdapter hypervisor) {
        this.segments = segments;
        this.hypervisor = hypervisor;
    }

    @GetMapping("/segments")
    SegmentPorts segments() {
        TenantSegments available = segments.getIfAvailable();
        return available == null ? new SegmentPorts(List.of(), List.of()) : new SegmentPorts(available.vteps(), available.ports());
    }

    @GetMapping("/vdcs/{vdcId}/segment-networks")
    List<SegmentNetworkInfo> networks(@PathVariable String vdcId) {
        return available().networks(vdcId);
    }

    @PutMapping("/vdcs/{vdcId}/segment-networks/{name}")
    SegmentNetworkInfo putNetwork(@PathVariable String vdcId, @PathVariable @Pattern(regexp = NAME) String name,
                                  @Valid @RequestBody SegmentNetworkSpec spec) {
        return available().putNetwork(vdcId, name, spec);
    }

    @DeleteMapping("/vdcs/{vdcId}/segment-networks/{name}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void removeNetwork(@PathVariable String vdcId, @PathVariable String name) {
        available().removeNetwork(vdcId, name);
    }

    @PutMapping("/vms/{vmId}/nics/{index}")
    VmInfo placeNic(@PathVariable String vmId, @PathVariable int index, @Valid @RequestBody NicPlacement placement) {
        return available().placeNic(vmId, index, placement);
    }

    @GetMapping("/vms/{vmId}/nics/{index}/answer")
    NicAnswer answer(@PathVariable String vmId, @PathVariable int index) {
        return available().answer(vmId, index);
    }

    private TenantSegments available() {
        TenantSegments available = segments.getIfAvailable();
        if (available == null) {
            throw new VccProblemException(ProblemType.INVALID_STATE, "This node's hypervisor (" + hypervisor.name()
                    + ") does not put VM NICs on tenant segments");
        }
        return available;
    }
}

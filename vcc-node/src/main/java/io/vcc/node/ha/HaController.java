package io.vcc.node.ha;

import io.vcc.api.ha.HaInventory;
import io.vcc.api.ha.HaVmInfo;
import io.vcc.api.ha.HostChange;
import io.vcc.api.ha.HypervisorInfo;
import io.vcc.api.ha.PhysicalSystemInfo;
import io.vcc.api.ha.Placement;
import io.vcc.api.ha.ReplicationResult;
import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import io.vcc.node.adapter.HaAdapter;
import jakarta.validation.Valid;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The {@code HaNodeApi} contract. Present on every VCC node, so that a node whose adapters offer no HA says so
 * ({@code invalid-state}) instead of answering 404.
 */
@RestController
@RequestMapping("/node/v1/ha")
class HaController {

    private final ObjectProvider<HaAdapter> adapter;

    HaController(ObjectProvider<HaAdapter> adapter) {
        this.adapter = adapter;
    }

    @GetMapping("/inventory")
    HaInventory inventory() {
        return ha().inventory();
    }

    @PostMapping("/physical-systems/{id}/fence")
    PhysicalSystemInfo fence(@PathVariable String id) {
        return ha().fence(id);
    }

    @PostMapping("/virtual-hypervisors/{id}/activate")
    HypervisorInfo activate(@PathVariable String id) {
        return ha().activate(id);
    }

    @PostMapping("/virtual-hypervisors/{id}/deactivate")
    HypervisorInfo deactivate(@PathVariable String id) {
        return ha().deactivate(id);
    }

    @PutMapping("/virtual-hypervisors/{id}/host")
    HypervisorInfo move(@PathVariable String id, @Valid @RequestBody HostChange change) {
        return ha().move(id, change.physicalSystemId());
    }

    @PutMapping("/vms/{id}/placement")
    HaVmInfo place(@PathVariable String id, @Valid @RequestBody Placement placement) {
        return ha().place(id, placement);
    }

    @PostMapping("/vms/{id}/replicate")
    ReplicationResult replicate(@PathVariable String id) {
        return ha().replicate(id);
    }

    private HaAdapter ha() {
        HaAdapter ha = adapter.getIfAvailable();
        if (ha == null) {
            throw new VccProblemException(ProblemType.INVALID_STATE, "This node's adapters offer no high availability");
        }
        return ha;
    }
}

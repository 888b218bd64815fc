package io.vcc.node.adapter.sim.ha;

import io.vcc.api.ha.HaNic;
import io.vcc.api.ha.HaVmInfo;
import io.vcc.api.ha.HypervisorInfo;
import io.vcc.api.ha.SystemRole;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Builds the simulated HA systems and breaks them (fault injection); exists only where the simulated cloud runs. */
@RestController
@RequestMapping("/node/v1/sim/ha")
@ConditionalOnProperty(name = "vcc.adapters.hypervisor", havingValue = "sim", matchIfMissing = true)
class SimHaController {

    private final SimHaSetup setup;

    SimHaController(SimHaSetup setup) {
        this.setup = setup;
    }

    record SystemRequest(@NotBlank String name, @NotNull SystemRole role, String pool, @Min(1) int hardwareGeneration,
                         @Min(1) int cpus, @Min(1) long memoryMb) {
    }

    record VirtualHypervisorRequest(@NotBlank String name, @NotBlank String physicalSystemId, String mirrorOf,
                                    @Min(1) int hardwareGeneration, @Min(1) int cpus, @Min(1) long memoryMb) {
    }

    record VmRequest(@NotBlank String tenant, @NotBlank String name, @NotBlank String hypervisorId, @Min(1) int cpus,
                     @Min(1) long memoryMb, @NotNull @Valid HaNic nic, @Min(1) long diskBytes) {
    }

    @PostMapping("/systems")
    @ResponseStatus(HttpStatus.CREATED)
    HypervisorInfo addSystem(@Valid @RequestBody SystemRequest r) {
        return setup.addSystem(r.name(), r.role(), r.pool(), r.hardwareGeneration(), r.cpus(), r.memoryMb());
    }

    @PostMapping("/virtual-hypervisors")
    @ResponseStatus(HttpStatus.CREATED)
    HypervisorInfo addVirtualHypervisor(@Valid @RequestBody VirtualHypervisorRequest r) {
        return setup.addVirtualHypervisor(r.name(), r.physicalSystemId(), r.mirrorOf(), r.hardwareGeneration(), r.cpus(), r.memoryMb());
    }

    @PostMapping("/vms")
    @ResponseStatus(HttpStatus.CREATED)
    HaVmInfo addVm(@Valid @RequestBody VmRequest r) {
        return setup.addVm(r.tenant(), r.name(), r.hypervisorId(), r.cpus(), r.memoryMb(), r.nic(), r.diskBytes());
    }

    /** Kills a physical system or a customer hypervisor: it stops answering. */
    @PostMapping("/kills/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void kill(@PathVariable String id) {
        setup.kill(id);
    }

    record LoadRequest(@Min(0) @Max(100) int percent) {
    }

    /** Drives a hypervisor's CPU load (a pool's capacity-burst policy watches it). */
    @PutMapping("/loads/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void load(@PathVariable String id, @Valid @RequestBody LoadRequest r) {
        setup.load(id, r.percent());
    }

    @PostMapping("/repairs/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void repair(@PathVariable String id) {
        setup.repair(id);
    }
}

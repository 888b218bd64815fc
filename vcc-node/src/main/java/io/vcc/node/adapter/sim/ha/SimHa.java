package io.vcc.node.adapter.sim.ha;

import io.vcc.api.ha.HaInventory;
import io.vcc.api.ha.HaVmInfo;
import io.vcc.api.ha.HypervisorInfo;
import io.vcc.api.ha.HypervisorKind;
import io.vcc.api.ha.PhysicalSystemInfo;
import io.vcc.api.ha.Placement;
import io.vcc.api.ha.ReplicationResult;
import io.vcc.api.ha.SystemRole;
import io.vcc.api.node.PowerState;
import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import io.vcc.node.adapter.HaAdapter;
import io.vcc.node.adapter.sim.SimFaults;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The simulated HA systems: every action changes real rows, takes {@code vcc.sim.ha.operation-delay}, and can be
 * made to fail with {@link SimFaults} ({@code ha.fence}, {@code ha.activate}, {@code ha.deactivate}, {@code ha.move},
 * {@code ha.place}, {@code ha.replicate}).
 */
@Service
@Transactional
@EnableConfigurationProperties(SimHaProperties.class)
@ConditionalOnProperty(name = "vcc.adapters.hypervisor", havingValue = "sim", matchIfMissing = true)
class SimHa implements HaAdapter {

    private final SimPhysicalSystems systems;
    private final SimHaHypervisors hypervisors;
    private final SimHaVms vms;
    private final SimHaReplication replication;
    private final SimFaults faults;
    private final SimHaProperties properties;

    SimHa(SimPhysicalSystems systems, SimHaHypervisors hypervisors, SimHaVms vms, SimHaReplication replication, SimFaults faults,
          SimHaProperties properties) {
        this.systems = systems;
        this.hypervisors = hypervisors;
        this.vms = vms;
        this.replication = replication;
        this.faults = faults;
        this.properties = properties;
    }

    @Override
    @Transactional(readOnly = true)
    public HaInventory inventory() {
        Map<UUID, SimPhysicalSystem> all = systems.findAllByOrderByName().stream()
                .collect(Collectors.toMap(SimPhysicalSystem::id, Function.identity()));
        return new HaInventory(
                systems.findAllByOrderByName().stream().map(SimPhysicalSystem::toInfo).toList(),
                hypervisors.findAllByOrderByName().stream().map(h -> h.toInfo(all.get(h.systemId()))).toList(),
                vms.findAllByOrderByTenantAscNameAsc().stream().map(SimHaVm::toInfo).toList());
    }

    @Override
    public PhysicalSystemInfo fence(String physicalSystemId) {
        faults.check("ha.fence");
        SimPhysicalSystem system = system(physicalSystemId);
        properties.work();
        system.powerOff();
        for (SimHaHypervisor hypervisor : hypervisors.findBySystemId(system.id())) {
            vms.findByHypervisorId(hypervisor.id()).forEach(SimHaVm::powerOff);
        }
        return system.toInfo();
    }

    @Override
    public HypervisorInfo activate(String virtualHypervisorId) {
        faults.check("ha.activate");
        SimHaHypervisor vh = virtual(virtualHypervisorId);
        SimPhysicalSystem system = systems.findById(vh.systemId()).orElseThrow();
        if (!vh.heartbeat(system)) {
            throw new VccProblemException(ProblemType.INVALID_STATE, "Virtual hypervisor " + vh.name() + " is down with its system " + system.name());
        }
        if (!vh.active()) {
            properties.work();
            vh.activate();
        }
        return vh.toInfo(system);
    }

    @Override
    public HypervisorInfo deactivate(String virtualHypervisorId) {
        faults.check("ha.deactivate");
        SimHaHypervisor vh = virtual(virtualHypervisorId);
        if (vms.existsByHypervisorId(vh.id())) {
            throw new VccProblemException(ProblemType.INVALID_STATE, "Virtual hypervisor " + vh.name() + " still runs customer VMs");
        }
        if (vh.active()) {
            properties.work();
            vh.deactivate();
        }
        return vh.toInfo(systems.findById(vh.systemId()).orElseThrow());
    }

    @Override
    public HypervisorInfo move(String virtualHypervisorId, String physicalSystemId) {
        faults.check("ha.move");
        SimHaHypervisor vh = virtual(virtualHypervisorId);
        SimPhysicalSystem target = system(physicalSystemId);
        if (vh.systemId().equals(target.id())) {
            return vh.toInfo(target);
        }
        if (vh.active()) {
            throw new VccProblemException(ProblemType.INVALID_STATE, "Virtual hypervisor " + vh.name() + " is active; only inactive ones are evacuated");
        }
        if (target.role() != SystemRole.POOL || !target.up()) {
            throw new VccProblemException(ProblemType.INVALID_STATE, "System " + target.name() + " is not a running pool system");
        }
        properties.work();
        vh.moveTo(target.id());
        return vh.toInfo(target);
    }

    @Override
    public HaVmInfo place(String vmId, Placement placement) {
        faults.check("ha.place");
        SimHaVm vm = vm(vmId);
        SimHaHypervisor target = hypervisor(placement.hypervisorId());
        SimPhysicalSystem targetSystem = systems.findById(target.systemId()).orElseThrow();
        if (vm.hypervisorId().equals(target.id()) && vm.power() == PowerState.POWERED_ON) {
            return vm.toInfo();
        }
        if (!target.runsVms(targetSystem)) {
            throw new VccProblemException(ProblemType.INVALID_STATE, "Hypervisor " + target.name() + " cannot run VMs now (down, inactive or first-level)");
        }
        List<SimHaVm> there = vms.findByHypervisorId(target.id());
        // Tenants keep apart by their segment's tag (claim 8), so the same IP may run twice here, but not on one tag.
        if (there.stream().anyMatch(other -> other.tag() == vm.tag() && other.ip().equals(vm.ip()))) {
            throw new VccProblemException(ProblemType.INVALID_STATE, "Hypervisor " + target.name() + " already runs " + vm.ip() + " on tag " + vm.tag());
        }
        if (there.stream().mapToInt(SimHaVm::cpus).sum() + vm.cpus() > target.cpus()
                || there.stream().mapToLong(SimHaVm::memoryMb).sum() + vm.memoryMb() > target.memoryMb()) {
            throw new VccProblemException(ProblemType.CAPACITY_EXHAUSTED, "Hypervisor " + target.name() + " has no room for " + vmId);
        }
        SimHaHypervisor source = hypervisors.findById(vm.hypervisorId()).orElseThrow();
        boolean sourceUp = source.heartbeat(systems.findById(source.systemId()).orElseThrow());
        if (placement.mode() == Placement.Mode.LIVE && !sourceUp) {
            throw new VccProblemException(ProblemType.INVALID_STATE, "VM " + vmId + " cannot move live: its hypervisor " + source.name() + " is down");
        }
        properties.work();
        if (placement.mode() == Placement.Mode.RESTORE) {
            replication.restore(vm.id(), vm.diskBytes());
        }
        vm.runOn(target.id());
        return vm.toInfo();
    }

    /**
     * Outside any transaction: the pass commits its checkpoints on the receiver's threads, which must not wait for a
     * transaction of this one's.
     */
    @Override
    @Transactional(propagation = Propagation.NOT_SUPPORTED)
    public ReplicationResult replicate(String vmId) {
        faults.check("ha.replicate");
        SimHaVm vm = vm(vmId);
        SimHaHypervisor host = hypervisors.findById(vm.hypervisorId()).orElseThrow();
        if (!host.heartbeat(systems.findById(host.systemId()).orElseThrow())) {
            throw new VccProblemException(ProblemType.INVALID_STATE, "VM " + vmId + " cannot be replicated: its hypervisor " + host.name() + " is down");
        }
        return replication.replicate(vm.id(), vm.diskBytes());
    }

    private SimPhysicalSystem system(String id) {
        return parse(id).flatMap(systems::findById)
                .orElseThrow(() -> VccProblemException.notFound("Physical system", id));
    }

    private SimHaHypervisor hypervisor(String id) {
        return parse(id).flatMap(hypervisors::findById)
                .orElseThrow(() -> VccProblemException.notFound("Hypervisor", id));
    }

    private SimHaHypervisor virtual(String id) {
        SimHaHypervisor hypervisor = hypervisor(id);
        if (hypervisor.kind() != HypervisorKind.VIRTUAL) {
            throw new VccProblemException(ProblemType.INVALID_STATE, "Hypervisor " + hypervisor.name() + " is not a virtual hypervisor");
        }
        return hypervisor;
    }

    private SimHaVm vm(String id) {
        return parse(id).flatMap(vms::findById).orElseThrow(() -> VccProblemException.notFound("VM", id));
    }

    static Optional<UUID> parse(String id) {
        try {
            return Optional.of(UUID.fromString(id));
        } catch (IllegalArgumentException | NullPointerException e) {
            return Optional.empty();
        }
    }
}

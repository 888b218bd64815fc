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
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
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
    private final SimHaDisks disks;
    private final SimFaults faults;
    private final SimHaProperties properties;
    private final JdbcClient jdbc;
    private final Clock clock;

    SimHa(SimPhysicalSystems systems, SimHaHypervisors hypervisors, SimHaVms vms, SimHaDisks disks, SimFaults faults,
          SimHaProperties properties, JdbcClient jdbc, ObjectProvider<Clock> clock) {
        this.systems = systems;
        this.hypervisors = hypervisors;
        this.vms = vms;
        this.disks = disks;
        this.faults = faults;
        this.properties = properties;
        this.jdbc = jdbc;
        this.clock = clock.getIfAvailable(Clock::systemUTC);
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
            disks.restoreFromReplica(vm.id(), vm.diskBytes());
        }
        vm.runOn(target.id());
        return vm.toInfo();
    }

    @Override
    public ReplicationResult replicate(String vmId) {
        faults.check("ha.replicate");
        SimHaVm vm = vm(vmId);
        SimHaHypervisor host = hypervisors.findById(vm.hypervisorId()).orElseThrow();
        if (!host.heartbeat(systems.findById(host.systemId()).orElseThrow())) {
            throw new VccProblemException(ProblemType.INVALID_STATE, "VM " + vmId + " cannot be replicated: its hypervisor " + host.name() + " is down");
        }
        Map<Integer, String> known = jdbc.sql("select idx, digest from sim_ha_replica_chunk where vm_id = ?").param(vm.id())
                .query((rs, n) -> Map.entry(rs.getInt(1), rs.getString(2))).list().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        int size = properties.replicaChunkSize();
        int chunks = (int) ((vm.diskBytes() + size - 1) / size);
        int copied = 0;
        long bytes = 0;
        boolean fresh = !Files.exists(disks.replica(vm.id()));
        for (int i = 0; i < chunks; i++) {
            long offset = (long) i * size;
            int length = (int) Math.min(size, vm.diskBytes() - offset);
            byte[] chunk = disks.read(disks.disk(vm.id()), offset, length);
            String digest = SimHaDisks.sha256(chunk);
            if (fresh || !digest.equals(known.get(i))) {
                disks.write(disks.replica(vm.id()), offset, chunk);
                jdbc.sql("insert into sim_ha_replica_chunk (vm_id, idx, digest) values (?, ?, ?) on conflict (vm_id, idx) do update set digest = excluded.digest")
                        .params(vm.id(), i, digest).update();
                copied++;
                bytes += length;
            }
        }
        // Not through the entity: a replication pass must never make a concurrent placement of the VM fail on its
        // version (the placement may at worst overwrite this time, and the next pass comes sooner).
        Instant at = clock.instant();
        jdbc.sql("update sim_ha_vm set replica_at = ? where id = ?").params(java.sql.Timestamp.from(at), vm.id()).update();
        return new ReplicationResult(vmId, chunks, copied, bytes, at);
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

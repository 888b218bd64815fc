package io.vcc.node.adapter.sim.ha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.vcc.api.ha.HaNic;
import io.vcc.api.ha.HaVmInfo;
import io.vcc.api.ha.HypervisorInfo;
import io.vcc.api.ha.HypervisorState;
import io.vcc.api.ha.Placement;
import io.vcc.api.ha.ReplicationResult;
import io.vcc.api.ha.SystemRole;
import io.vcc.api.node.PowerState;
import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import io.vcc.node.adapter.HaAdapter;
import io.vcc.node.adapter.sim.SimFaults;
import java.util.Arrays;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

/** The simulated HA systems on a real PostgreSQL with real disk files: what a failover workflow relies on. */
@SpringBootTest(properties = {"spring.config.name=vcc-node", "vcc.service-name=vcc-node-sim-ha-test",
        "vcc.sim.ha.operation-delay=0ms", "vcc.sim.ha.replica-chunk-size=4096"})
@ActiveProfiles("test")
class SimHaTest {

    @Autowired
    HaAdapter ha;
    @Autowired
    SimHaSetup setup;
    @Autowired
    SimFaults faults;
    @Autowired
    SimHaDisks disks;
    @Autowired
    org.springframework.jdbc.core.simple.JdbcClient jdbc;

    @AfterEach
    void clearFaults() {
        faults.clear();
    }

    private record Rig(HypervisorInfo customer, HypervisorInfo poolA, HypervisorInfo poolB, HypervisorInfo mirror,
                       HypervisorInfo generic, HypervisorInfo neighbour) {
    }

    private Rig rig() {
        String n = UUID.randomUUID().toString().substring(0, 6);
        HypervisorInfo customer = setup.addSystem("cust-" + n, SystemRole.CUSTOMER, null, 3, 16, 65536);
        HypervisorInfo poolA = setup.addSystem("pool-a-" + n, SystemRole.POOL, "pool-" + n, 4, 64, 262144);
        HypervisorInfo poolB = setup.addSystem("pool-b-" + n, SystemRole.POOL, "pool-" + n, 2, 64, 262144);
        HypervisorInfo mirror = setup.addVirtualHypervisor("vh-mirror-" + n, poolA.physicalSystemId(), customer.id(), 3, 16, 65536);
        HypervisorInfo generic = setup.addVirtualHypervisor("vh-generic-" + n, poolA.physicalSystemId(), null, 4, 32, 131072);
        HypervisorInfo neighbour = setup.addVirtualHypervisor("vh-other-" + n, poolA.physicalSystemId(), null, 2, 8, 16384);
        return new Rig(customer, poolA, poolB, mirror, generic, neighbour);
    }

    private HaVmInfo vm(Rig rig, String tenant, String ip, int tag) {
        String mac = String.format("52:54:00:%02x:%02x:%02x", (int) (Math.random() * 256), (int) (Math.random() * 256), (int) (Math.random() * 256));
        return setup.addVm(tenant, "vm-" + UUID.randomUUID().toString().substring(0, 6), rig.customer().id(), 2, 2048,
                new HaNic(mac, ip, tenant + "-net", tag), 64 * 1024);
    }

    private HypervisorInfo hypervisor(String id) {
        return ha.inventory().hypervisors().stream().filter(h -> h.id().equals(id)).findFirst().orElseThrow();
    }

    private HaVmInfo vmNow(String id) {
        return ha.inventory().vms().stream().filter(v -> v.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void aKilledCustomerHypervisorsVmsRunOnAnActivatedVirtualHypervisorWithTheirMacIpAndTagWhileTenantsOverlap() {
        Rig rig = rig();
        HaVmInfo a = vm(rig, "tenant-a", "10.0.0.5", 101);
        HaVmInfo b = vm(rig, "tenant-b", "10.0.0.5", 202);

        setup.kill(rig.customer().physicalSystemId());
        assertThat(hypervisor(rig.customer().id()).heartbeat()).isFalse();
        assertThat(hypervisor(rig.customer().id()).state()).isEqualTo(HypervisorState.FAILED);

        assertThat(ha.fence(rig.customer().physicalSystemId()).powered()).isFalse();
        assertThat(vmNow(a.id()).power()).isEqualTo(PowerState.POWERED_OFF);
        assertThat(ha.activate(rig.mirror().id()).state()).isEqualTo(HypervisorState.ACTIVE);
        HaVmInfo movedA = ha.place(a.id(), new Placement(rig.mirror().id(), Placement.Mode.RESTORE));
        HaVmInfo movedB = ha.place(b.id(), new Placement(rig.mirror().id(), Placement.Mode.RESTORE));

        assertThat(movedA.hypervisorId()).isEqualTo(rig.mirror().id());
        assertThat(movedA.nic()).isEqualTo(a.nic());
        assertThat(movedB.nic()).isEqualTo(b.nic());
        assertThat(movedB.power()).isEqualTo(PowerState.POWERED_ON);
        assertThat(ha.place(a.id(), new Placement(rig.mirror().id(), Placement.Mode.RESTORE))).as("idempotent").isEqualTo(movedA);

        ha.move(rig.generic().id(), rig.poolB().physicalSystemId());
        ha.move(rig.neighbour().id(), rig.poolB().physicalSystemId());
        assertThat(ha.inventory().hypervisors()).filteredOn(h -> h.physicalSystemId().equals(rig.poolA().physicalSystemId()))
                .extracting(HypervisorInfo::id).containsExactlyInAnyOrder(rig.poolA().id(), rig.mirror().id());
    }

    @Test
    void refusesWhatCannotBeDoneAndChangesNothing() {
        Rig rig = rig();
        HaVmInfo a = vm(rig, "tenant-a", "10.0.0.7", 303);
        assertThat(problem(() -> ha.place(a.id(), new Placement(rig.mirror().id(), Placement.Mode.LIVE))))
                .as("an inactive VH runs nothing").isEqualTo(ProblemType.INVALID_STATE);
        ha.activate(rig.mirror().id());
        ha.place(a.id(), new Placement(rig.mirror().id(), Placement.Mode.LIVE));
        HaVmInfo same = vm(rig, "tenant-c", "10.0.0.7", 303);
        assertThat(problem(() -> ha.place(same.id(), new Placement(rig.mirror().id(), Placement.Mode.LIVE))))
                .as("one IP twice on one tag").isEqualTo(ProblemType.INVALID_STATE);
        assertThat(problem(() -> ha.deactivate(rig.mirror().id()))).isEqualTo(ProblemType.INVALID_STATE);
        assertThat(problem(() -> ha.move(rig.mirror().id(), rig.poolB().physicalSystemId()))).isEqualTo(ProblemType.INVALID_STATE);
        assertThat(problem(() -> ha.move(rig.generic().id(), rig.customer().physicalSystemId()))).isEqualTo(ProblemType.INVALID_STATE);
        assertThat(problem(() -> ha.activate(UUID.randomUUID().toString()))).isEqualTo(ProblemType.NOT_FOUND);

        setup.kill(rig.customer().id());
        assertThat(problem(() -> ha.place(a.id(), new Placement(rig.customer().id(), Placement.Mode.LIVE)))).isEqualTo(ProblemType.INVALID_STATE);
        faults.failNext("ha.place", 1);
        setup.repair(rig.customer().id());
        assertThat(problem(() -> ha.place(a.id(), new Placement(rig.customer().id(), Placement.Mode.LIVE)))).isEqualTo(ProblemType.SIMULATED_FAULT);
        assertThat(vmNow(a.id()).hypervisorId()).isEqualTo(rig.mirror().id());

        assertThat(problem(() -> ha.place(a.id(), new Placement(rig.customer().id(), Placement.Mode.LIVE))))
                .as("the customer hypervisor now runs the same IP on the same tag").isEqualTo(ProblemType.INVALID_STATE);
        assertThat(hypervisor(rig.mirror().id()).state()).isEqualTo(HypervisorState.ACTIVE);
    }

    @Test
    void replicationCopiesOnlyChangedChunksAndARestoreStartsFromTheReplica() {
        Rig rig = rig();
        HaVmInfo vm = vm(rig, "tenant-a", "10.0.0.9", 404);
        byte[] first = filled(4096, (byte) 1);
        setup.writeDisk(vm.id(), 0, first);

        ReplicationResult initial = ha.replicate(vm.id());
        assertThat(initial.chunks()).isEqualTo(16);
        assertThat(initial.chunksCopied()).as("the new replica is all zeros: only the written chunk differs").isEqualTo(1);

        setup.writeDisk(vm.id(), 3 * 4096, filled(4096, (byte) 3));
        ReplicationResult incremental = ha.replicate(vm.id());
        assertThat(incremental.chunksCopied()).as("only the chunk written since").isEqualTo(1);
        assertThat(incremental.bytesCopied()).isEqualTo(4096);
        assertThat(ha.replicate(vm.id()).chunksCopied()).isZero();

        setup.writeDisk(vm.id(), 5 * 4096, filled(4096, (byte) 5));
        setup.kill(rig.customer().physicalSystemId());
        ha.activate(rig.mirror().id());
        ha.place(vm.id(), new Placement(rig.mirror().id(), Placement.Mode.RESTORE));

        assertThat(setup.readDisk(vm.id(), 3 * 4096, 4096)).containsOnly((byte) 3);
        assertThat(setup.readDisk(vm.id(), 5 * 4096, 4096)).as("written after the last pass: lost with the host").containsOnly((byte) 0);
        assertThat(vmNow(vm.id()).replicaAt()).isNotNull();
    }

    @Test
    void theReplicaPointIsTheTransferCheckpointLogAndAPassCutShortStartsAgain() throws Exception {
        Rig rig = rig();
        HaVmInfo vm = vm(rig, "tenant-a", "10.0.0.10", 505);
        setup.writeDisk(vm.id(), 4096, filled(4096, (byte) 2));
        ha.replicate(vm.id());
        UUID point = jdbc.sql("select point_id from sim_ha_replica where vm_id = ?").param(UUID.fromString(vm.id())).query(UUID.class).single();
        assertThat(jdbc.sql("select count(*) from transfer_chunk where transfer_id = ? and side = 'TARGET'").param(point)
                .query(Long.class).single()).as("every chunk of the point checkpointed").isEqualTo(16);

        // As if the node died mid-pass: a pass is recorded as under way and its delta holds stray bytes.
        UUID cut = UUID.randomUUID();
        jdbc.sql("update sim_ha_replica set pass_id = ? where vm_id = ?").params(cut, UUID.fromString(vm.id())).update();
        java.nio.file.Path stray = disks.delta(UUID.fromString(vm.id()), cut);
        java.nio.file.Files.write(stray, filled(8192, (byte) 6));
        setup.writeDisk(vm.id(), 2 * 4096, filled(4096, (byte) 4));

        ReplicationResult again = ha.replicate(vm.id());

        assertThat(again.chunksCopied()).as("only the chunk written since the last point").isEqualTo(1);
        assertThat(stray).doesNotExist();
        assertThat(jdbc.sql("select count(*) from transfer_chunk where transfer_id = ?").param(point).query(Long.class).single())
                .as("the point before is forgotten once the new one is applied").isZero();
        setup.kill(rig.customer().physicalSystemId());
        ha.activate(rig.mirror().id());
        ha.place(vm.id(), new Placement(rig.mirror().id(), Placement.Mode.RESTORE));
        assertThat(setup.readDisk(vm.id(), 4096, 4096)).containsOnly((byte) 2);
        assertThat(setup.readDisk(vm.id(), 2 * 4096, 4096)).containsOnly((byte) 4);
        assertThat(setup.readDisk(vm.id(), 0, 4096)).containsOnly((byte) 0);
    }

    private static byte[] filled(int n, byte value) {
        byte[] bytes = new byte[n];
        Arrays.fill(bytes, value);
        return bytes;
    }

    private static ProblemType problem(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        VccProblemException e = catchThrowableOfType(VccProblemException.class, call);
        assertThat(e).isNotNull();
        return e.type();
    }
}

package io.vcc.server.ha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.vcc.api.ha.HaInventory;
import io.vcc.api.ha.HaNic;
import io.vcc.api.ha.HaNodeApi;
import io.vcc.api.ha.HaVmInfo;
import io.vcc.api.ha.HostChange;
import io.vcc.api.ha.HypervisorInfo;
import io.vcc.api.ha.HypervisorKind;
import io.vcc.api.ha.HypervisorState;
import io.vcc.api.ha.PhysicalSystemInfo;
import io.vcc.api.ha.Placement;
import io.vcc.api.ha.SystemRole;
import io.vcc.api.node.PowerState;
import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import io.vcc.server.node.NodeGateway;
import io.vcc.server.workflow.InMemoryRun;
import io.vcc.server.workflow.RunState;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.mockito.InOrder;

/**
 * The failover and failback workflows' steps in order and their compensations, with the node's HA API stubbed
 * (no processes, no Spring context), as Temporal's booking saga is tested with mocked activities.
 */
class FailoverWorkflowTest {

    private static final UUID NODE = UUID.randomUUID();
    private static final UUID FAILOVER = UUID.randomUUID();

    private final NodeGateway nodes = mock(NodeGateway.class);
    private final Failovers failovers = mock(Failovers.class);
    private final HaNodeApi ha = mock(HaNodeApi.class);
    private final HaSettings settings = new HaSettings(Duration.ofSeconds(1), Duration.ofMillis(500), 4, Duration.ofMinutes(1), Duration.ofSeconds(5));
    private final FailoverSteps steps = new FailoverSteps(nodes, failovers, Clock.systemUTC(), settings);
    private final FailoverWorkflow failover = new FailoverWorkflow(steps, settings);
    private final FailbackWorkflow failback = new FailbackWorkflow(steps, settings);

    private static final PhysicalSystemInfo P1 = new PhysicalSystemInfo("p1", "p1", SystemRole.POOL, "pool", 4, 64, 1 << 18, true, false);
    private static final PhysicalSystemInfo P2 = new PhysicalSystemInfo("p2", "p2", SystemRole.POOL, "pool", 4, 64, 1 << 18, true, false);
    private static final HypervisorInfo VH = vh("vh", "p1", HypervisorState.ACTIVE);
    private static final HypervisorInfo SPARE = vh("spare", "p1", HypervisorState.INACTIVE);
    private static final HypervisorInfo CLAIMED = vh("claimed", "p1", HypervisorState.INACTIVE);

    FailoverWorkflowTest() {
        when(nodes.client(NODE, HaNodeApi.class)).thenReturn(ha);
        when(ha.inventory()).thenReturn(new HaInventory(List.of(P1, P2), List.of(VH, SPARE, CLAIMED), List.of()));
        when(ha.activate("vh")).thenReturn(VH);
        when(ha.fence("sys")).thenReturn(new PhysicalSystemInfo("sys", "c1", SystemRole.CUSTOMER, null, 3, 16, 65536, false, true));
        when(ha.place(anyString(), any())).thenAnswer(call -> vm(call.getArgument(0), ((Placement) call.getArgument(1)).hypervisorId()));
        when(failovers.claimedVirtualHypervisors(NODE)).thenReturn(List.of("vh", "claimed"));
    }

    private static HypervisorInfo vh(String id, String system, HypervisorState state) {
        return new HypervisorInfo(id, id, HypervisorKind.VIRTUAL, system, state, null, 4, 16, 65536, true);
    }

    private static HaVmInfo vm(String id, String hypervisor) {
        return new HaVmInfo(id, "acme", id, hypervisor, PowerState.POWERED_ON, 1, 512, new HaNic("52:54:00:00:00:01", "10.0.0.1", "net", 7), null);
    }

    private static FailoverParams params(Trigger trigger) {
        return new FailoverParams(FAILOVER, NODE, "pool", trigger, "sys", "hv", "vh",
                List.of(new Failover.Moved("vm-1", "hv"), new Failover.Moved("vm-2", "hv")));
    }

    @Test
    void aFailureFencesActivatesRestoresTheVmsEvacuatesTheUnclaimedVhsAndHolds() {
        InMemoryRun.Outcome outcome = InMemoryRun.run(failover, params(Trigger.FAILURE));

        assertThat(outcome.state()).isEqualTo(RunState.SUCCEEDED);
        InOrder order = inOrder(ha, failovers);
        order.verify(ha).fence("sys");
        order.verify(ha).activate("vh");
        verify(ha).place("vm-1", new Placement("vh", Placement.Mode.RESTORE));
        verify(ha).place("vm-2", new Placement("vh", Placement.Mode.RESTORE));
        verify(ha).move("spare", new HostChange("p2"));
        verify(ha, never()).move(eq("claimed"), any());
        verify(failovers).transition(eq(FAILOVER), eq(FailoverState.FAILING_OVER), eq(FailoverState.HOLDING), any());
        assertThat(outcome.outputs()).containsEntry("evacuated", List.of("spare"));
    }

    @Test
    void aMaintenanceMovesLiveAndFencesNothing() {
        assertThat(InMemoryRun.run(failover, params(Trigger.MAINTENANCE)).state()).isEqualTo(RunState.SUCCEEDED);

        verify(ha, never()).fence(anyString());
        verify(ha).place("vm-1", new Placement("vh", Placement.Mode.LIVE));
    }

    @Test
    void aCapacityBurstMovesTheChosenVmsLiveAndFencesNothing() {
        FailoverParams burst = new FailoverParams(FAILOVER, NODE, "pool", Trigger.CAPACITY_BURST, "sys", "hv", "vh",
                List.of(new Failover.Moved("vm-1", "hv")));

        assertThat(InMemoryRun.run(failover, burst).state()).isEqualTo(RunState.SUCCEEDED);

        verify(ha, never()).fence(anyString());
        verify(ha).activate("vh");
        verify(ha).place("vm-1", new Placement("vh", Placement.Mode.LIVE));
        verify(ha, never()).place(eq("vm-2"), any());
        verify(failovers).transition(eq(FAILOVER), eq(FailoverState.FAILING_OVER), eq(FailoverState.HOLDING), any());
    }

    @Test
    void aNodeAnsweringConflictIsAskedAgainAndTheFailoverGoesOn() {
        VccProblemException conflict = new VccProblemException(ProblemType.CONFLICT, "The object was changed concurrently; read it again and retry");
        when(ha.activate("vh")).thenThrow(conflict).thenReturn(VH);
        when(ha.place(eq("vm-1"), any())).thenThrow(conflict, conflict).thenAnswer(call -> vm("vm-1", "vh"));

        InMemoryRun.Outcome outcome = InMemoryRun.run(failover, params(Trigger.FAILURE));

        assertThat(outcome.state()).isEqualTo(RunState.SUCCEEDED);
        verify(ha, times(2)).activate("vh");
        verify(ha, times(3)).place("vm-1", new Placement("vh", Placement.Mode.RESTORE));
        verify(failovers).notMoved(FAILOVER, Map.of());
        assertThat(outcome.outputs()).doesNotContainKey("notMoved");
    }

    @Test
    void aVmTheNodeRefusesOrThatKeepsConflictingIsReportedInTheResultAndTheOthersMove() {
        when(ha.place(eq("vm-2"), any())).thenThrow(new VccProblemException(ProblemType.CONFLICT, "changed concurrently"));
        when(ha.move(eq("spare"), any())).thenThrow(new VccProblemException(ProblemType.INVALID_STATE, "System p2 is not a running pool system"));

        InMemoryRun.Outcome outcome = InMemoryRun.run(failover, params(Trigger.FAILURE));

        assertThat(outcome.state()).isEqualTo(RunState.SUCCEEDED);
        verify(ha, times(NodeConflicts.ATTEMPTS)).place("vm-2", new Placement("vh", Placement.Mode.RESTORE));
        verify(ha).place("vm-1", new Placement("vh", Placement.Mode.RESTORE));
        verify(failovers).notMoved(FAILOVER, Map.of("vm-2", "changed concurrently"));
        verify(failovers).notEvacuated(FAILOVER, Map.of("spare", "spare: System p2 is not a running pool system"));
        assertThat(outcome.outputs()).containsEntry("notMoved", Map.of("vm-2", "changed concurrently"))
                .containsEntry("notEvacuated", List.of("spare: System p2 is not a running pool system"));
        verify(failovers).transition(eq(FAILOVER), eq(FailoverState.FAILING_OVER), eq(FailoverState.HOLDING), any());
    }

    @Test
    void whenNoVmCanMoveTheFailoverFailsAndIsNotHeld() {
        doThrow(new VccProblemException(ProblemType.CAPACITY_EXHAUSTED, "no room")).when(ha).place(anyString(), any());

        InMemoryRun.Outcome outcome = InMemoryRun.run(failover, params(Trigger.FAILURE));

        assertThat(outcome.state()).isEqualTo(RunState.FAILED);
        verify(failovers).notMoved(eq(FAILOVER), eq(Map.of("vm-1", "no room", "vm-2", "no room")));
        verify(failovers, never()).transition(any(), any(), eq(FailoverState.HOLDING), any());
    }

    @Test
    void aFailedActivationIsUndoneAndNoVmMoves() {
        when(ha.activate("vh")).thenThrow(new VccProblemException(ProblemType.SIMULATED_FAULT, "boom"));

        InMemoryRun.Outcome outcome = InMemoryRun.run(failover, params(Trigger.MANUAL));

        assertThat(outcome.state()).isEqualTo(RunState.FAILED);
        assertThat(outcome.compensated()).isTrue();
        verify(ha).deactivate("vh");
        verify(ha, never()).place(anyString(), any());
    }

    @Test
    void onceVmsMoveAFailureUndoesNothingSoNoVmGoesBackToTheFailedHypervisor() {
        when(ha.move(anyString(), any())).thenThrow(new IllegalStateException("the node's answer could not be read"));

        InMemoryRun.Outcome outcome = InMemoryRun.run(failover, params(Trigger.FAILURE));

        assertThat(outcome.state()).isEqualTo(RunState.FAILED);
        assertThat(outcome.compensated()).isFalse();
        verify(ha, never()).deactivate(anyString());
    }

    @Test
    void aFailbackThatFailsHalfwayReturnsTheVmsToTheVhAndKeepsItActive() {
        when(ha.inventory()).thenReturn(new HaInventory(List.of(P1), List.of(VH,
                new HypervisorInfo("hv", "hv", HypervisorKind.CUSTOMER, "sys", HypervisorState.RUNNING, null, 3, 16, 65536, true)),
                List.of(vm("vm-1", "hv"), vm("vm-2", "vh"))));
        when(ha.place(eq("vm-2"), eq(new Placement("hv", Placement.Mode.LIVE))))
                .thenThrow(new VccProblemException(ProblemType.SIMULATED_FAULT, "boom"));

        InMemoryRun.Outcome outcome = InMemoryRun.run(failback, params(Trigger.FAILURE));

        assertThat(outcome.state()).isEqualTo(RunState.FAILED);
        assertThat(outcome.compensated()).isTrue();
        verify(ha).place("vm-1", new Placement("vh", Placement.Mode.LIVE));
        verify(ha, never()).deactivate(anyString());
        verify(failovers, never()).transition(any(), any(), eq(FailoverState.FAILED_BACK), any());
    }

    @Test
    void aFailbackMovesTheVmsHomeLiveThenDeactivatesTheVh() {
        assertThat(InMemoryRun.run(failback, params(Trigger.FAILURE)).state()).isEqualTo(RunState.SUCCEEDED);

        InOrder order = inOrder(ha, failovers);
        order.verify(ha).place("vm-1", new Placement("hv", Placement.Mode.LIVE));
        order.verify(ha).deactivate("vh");
        order.verify(failovers).transition(eq(FAILOVER), eq(FailoverState.FAILING_BACK), eq(FailoverState.FAILED_BACK), any());
    }
}

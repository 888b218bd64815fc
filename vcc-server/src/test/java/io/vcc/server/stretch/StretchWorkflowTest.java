package io.vcc.server.stretch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.vcc.api.node.EdgeRule;
import io.vcc.api.node.NicInfo;
import io.vcc.api.node.NicAnswer;
import io.vcc.api.node.NicPlacement;
import io.vcc.api.node.NodeApi;
import io.vcc.api.node.PowerRequest;
import io.vcc.api.node.PowerState;
import io.vcc.api.node.SegmentNetworkInfo;
import io.vcc.api.node.SegmentNetworkSpec;
import io.vcc.api.node.SegmentNodeApi;
import io.vcc.api.node.SegmentPort;
import io.vcc.api.node.SegmentPorts;
import io.vcc.api.node.VmInfo;
import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import io.vcc.api.transfer.CheckpointLog;
import io.vcc.api.transfer.JobState;
import io.vcc.api.transfer.PackageKind;
import io.vcc.api.transfer.TransferJobStatus;
import io.vcc.api.transfer.TransferNodeApi;
import io.vcc.server.network.NetworkService;
import io.vcc.server.network.NetworkView;
import io.vcc.server.node.NodeGateway;
import io.vcc.server.transfer.TransferMode;
import io.vcc.server.transfer.TransferParams;
import io.vcc.server.transfer.TransferSteps;
import io.vcc.server.workflow.InMemoryRun;
import io.vcc.server.workflow.RunState;
import io.vcc.server.workflow.Step;
import io.vcc.server.workflow.StepOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.util.unit.DataSize;

/**
 * The stretch deploy's steps in order and its compensations, with the nodes stubbed (no processes): a fault at
 * every step before the cut-over leaves the source VM running with its IP and MAC and nothing at the target; a
 * cut-over that fails puts the source back; a failure after it leaves the VM running at the target and says so.
 * The transfer's export, transfer and verify are stand-ins here (their own test is TransferWorkflowTest); the
 * e2e test runs the real ones.
 */
class StretchWorkflowTest {

    private static final UUID SOURCE = UUID.randomUUID();
    private static final UUID TARGET = UUID.randomUUID();
    private static final UUID CLOUD_A = UUID.randomUUID();
    private static final UUID CLOUD_B = UUID.randomUUID();
    private static final UUID NETWORK = UUID.randomUUID();
    private static final String MAC = "02:00:00:00:00:05";
    private static final String IP = "192.168.10.12";
    private static final List<EdgeRule> RULES = List.of(new EdgeRule(EdgeRule.Kind.DNAT, "tcp 203.0.113.5:443", "dnat 192.168.10.12:443"));

    private final NodeGateway nodes = mock(NodeGateway.class);
    private final NetworkService networks = mock(NetworkService.class);
    private final StretchValidation validation = mock(StretchValidation.class);
    private final TransferSteps transfer = mock(TransferSteps.class);
    private final NodeApi source = mock(NodeApi.class);
    private final NodeApi target = mock(NodeApi.class);
    private final SegmentNodeApi sourceSegments = mock(SegmentNodeApi.class);
    private final SegmentNodeApi targetSegments = mock(SegmentNodeApi.class);
    private final TransferNodeApi targetTransfers = mock(TransferNodeApi.class);
    /** Other stretch deploys: none under way unless a test says so. */
    private final StretchDeploys deploys = mock(StretchDeploys.class);
    private final StretchSettings settings = new StretchSettings(DataSize.ofMegabytes(8), Duration.ofMinutes(1),
            Duration.ofMillis(1), Duration.ofSeconds(1), Duration.ofMinutes(1));
    private final StretchWorkflow workflow = new StretchWorkflow(steps(settings), transfer, settings);

    private StretchSteps steps(StretchSettings settings) {
        StretchTargetNetwork targetNetwork = new StretchTargetNetwork(nodes, networks, deploys);
        return new StretchSteps(nodes, validation, settings, targetNetwork, new StretchCutOver(nodes, settings, targetNetwork));
    }

    /** The simulated clouds: which VMs exist where and whether they run. */
    private final Map<String, PowerState> sourceVms = new HashMap<>(Map.of("vm-1", PowerState.POWERED_ON));
    private final Map<String, PowerState> targetVms = new HashMap<>();
    private final List<String> calls = new ArrayList<>();
    private String faultAt;
    /** A call that finds its node unavailable (killed, restarting) this many times before it goes through. */
    private final Map<String, Integer> unavailable = new HashMap<>();
    /** Calls the node carries out but whose answer is lost (the node or the server died right after). */
    private final java.util.Set<String> answerLost = new java.util.HashSet<>();
    /** The target's copy is powered on but never answers on its IP (a guest that does not come up). */
    private boolean silentTarget;

    StretchWorkflowTest() {
        when(nodes.nodeApi(SOURCE)).thenReturn(source);
        when(nodes.nodeApi(TARGET)).thenReturn(target);
        when(nodes.client(SOURCE, SegmentNodeApi.class)).thenReturn(sourceSegments);
        when(nodes.client(TARGET, SegmentNodeApi.class)).thenReturn(targetSegments);
        when(nodes.client(TARGET, TransferNodeApi.class)).thenReturn(targetTransfers);
        cloud(source, sourceVms, "source");
        cloud(target, targetVms, "target");
        when(transfer.export()).thenReturn(standIn("export", io.vcc.api.transfer.PackageFile[].class));
        when(transfer.transfer()).thenReturn(standIn("transfer", TransferSteps.TransferResult.class));
        when(transfer.verify()).thenReturn(standIn("verify", Void.class));
        when(transfer.cleanup()).thenReturn(standIn("cleanup", Void.class));
        doAnswer(i -> fault("validate")).when(validation).check(any());
        when(networks.extendInto(NETWORK, CLOUD_B)).thenAnswer(i -> fault("infrastructure") == null);
        when(networks.network(NETWORK)).thenReturn(new NetworkView(NETWORK, UUID.randomUUID(), "web", 10, 100, 200, 1400, Instant.now(),
                List.of(new NetworkView.Span(CLOUD_A, SOURCE, 108, 5001, List.of()), new NetworkView.Span(CLOUD_B, TARGET, 208, 6001, List.of()))));
        when(sourceSegments.segmentNetworks("vdc-a")).thenReturn(List.of(new SegmentNetworkInfo("vdc-a", "web", "192.168.10.0/24",
                "192.168.10.1", 5001, RULES, 1400)));
        when(targetSegments.segments()).thenReturn(new SegmentPorts(List.of(), List.of()));
        when(targetTransfers.importPackage(anyString(), any())).thenAnswer(i -> {
            fault("import");
            targetVms.put("vm-copy", PowerState.POWERED_OFF);
            return new TransferJobStatus("import", JobState.DONE, 1, 1, 1, 0, null, null, List.of(), "vm-copy");
        });
        when(targetTransfers.checkpoints(anyString())).thenAnswer(i -> new CheckpointLog("t", List.of(),
                targetVms.containsKey("vm-copy") ? "vm-copy" : null));
        when(targetSegments.nicAnswer(eq("vm-copy"), anyInt())).thenAnswer(i -> {
            fault("answer");
            return new NicAnswer(targetVms.get("vm-copy") == PowerState.POWERED_ON && !silentTarget, "stub");
        });
        when(targetSegments.placeNic(eq("vm-copy"), anyInt(), any())).thenAnswer(i -> {
            fault("place-nic");
            calls.add("place " + i.getArgument(2, NicPlacement.class));
            return vm("vm-copy", PowerState.POWERED_OFF);
        });
    }

    @Test
    void aPoweredOnVmMovesWithItsMacAndIpAndRunsAtTheTarget() {
        InMemoryRun.Outcome outcome = InMemoryRun.run(workflow, params(false, null));

        assertThat(outcome.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(workflow.steps()).extracting(Step::name).containsExactly("validate", "infrastructure", "export", "transfer",
                "verify", "deploy", "cut-over", "remove-source", "cleanup", "retract");
        assertThat(outcome.outputs()).containsEntry("runningAt", "target").containsEntry("targetVmId", "vm-copy")
                .containsEntry("targetVni", 6001);
        verify(targetSegments).putSegmentNetwork("vdc-b", "web", new SegmentNetworkSpec("192.168.10.0/24", "192.168.10.1", 6001, RULES, 1400));
        assertThat(calls).contains("place " + new NicPlacement("web", MAC, IP));
        assertThat(targetVms).containsEntry("vm-copy", PowerState.POWERED_ON);
        assertThat(sourceVms).isEmpty();
        // the source is off before the target is on: never two VMs answering on one IP and MAC
        assertThat(calls).containsSubsequence("source power vm-1 POWERED_OFF", "target power vm-copy POWERED_ON", "source delete vm-1");
    }

    @Test
    void aPoweredOffVmArrivesPoweredOff() {
        sourceVms.put("vm-1", PowerState.POWERED_OFF);

        InMemoryRun.Outcome outcome = InMemoryRun.run(workflow, params(false, null));

        assertThat(outcome.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(targetVms).containsEntry("vm-copy", PowerState.POWERED_OFF);
    }

    @Test
    void keepingTheSourceLeavesItPoweredOff() {
        InMemoryRun.Outcome outcome = InMemoryRun.run(workflow, params(true, null));

        assertThat(outcome.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(sourceVms).containsEntry("vm-1", PowerState.POWERED_OFF);
        assertThat(targetVms).containsEntry("vm-copy", PowerState.POWERED_ON);
    }

    @ParameterizedTest(name = "fault at {0}")
    @ValueSource(strings = {"validate", "infrastructure", "export", "transfer", "verify", "import", "place-nic"})
    void aFaultBeforeTheCutOverLeavesTheSourceRunningAndNothingAtTheTarget(String step) {
        faultAt = step;

        InMemoryRun.Outcome outcome = InMemoryRun.run(workflow, params(false, null));

        assertThat(outcome.state()).isEqualTo(RunState.FAILED);
        assertThat(outcome.failure()).hasMessageContaining("injected at " + step);
        assertThat(sourceVms).containsEntry("vm-1", PowerState.POWERED_ON);
        assertThat(calls).noneMatch(call -> call.startsWith("source power") || call.startsWith("source delete"));
        assertThat(targetVms).isEmpty();
        assertThat(outcome.outputs().getOrDefault("runningAt", "source")).isEqualTo("source");
        if (!step.equals("validate")) {
            // the network this run brought into the target cloud leaves it again, with the VDC network on it
            verify(targetSegments).removeSegmentNetwork("vdc-b", "web");
            verify(networks).retractFrom(NETWORK, CLOUD_B);
        } else {
            verify(networks, never()).extendInto(any(), any());
        }
    }

    @Test
    void aFailedStretchLeavesTheNetworkInTheTargetCloudWhileAnotherStretchIntoItIsUnderWay() {
        // Another VM's stretch into the same cloud found the network there, brought by this run, and counts on it.
        when(deploys.othersUnderway(eq(NETWORK), eq(CLOUD_B), any())).thenReturn(true);
        faultAt = "transfer";

        InMemoryRun.Outcome outcome = InMemoryRun.run(workflow, params(false, null));

        assertThat(outcome.state()).isEqualTo(RunState.FAILED);
        assertThat(sourceVms).containsEntry("vm-1", PowerState.POWERED_ON);
        verify(networks, never()).retractFrom(any(), any());
        verify(targetSegments, never()).removeSegmentNetwork(any(), any());
    }

    @Test
    void aFailedStretchLeavesTheNetworkInTheTargetCloudWhileAVmIsOnItThere() {
        when(targetSegments.segments()).thenReturn(new SegmentPorts(List.of(), List.of(
                new SegmentPort(6001, "vm-other", "vdc-b", 0, "02:00:00:00:00:09", "192.168.10.20", true))));
        faultAt = "import";

        InMemoryRun.Outcome outcome = InMemoryRun.run(workflow, params(false, null));

        assertThat(outcome.state()).isEqualTo(RunState.FAILED);
        assertThat(targetVms).isEmpty();
        verify(networks, never()).retractFrom(any(), any());
        verify(targetSegments, never()).removeSegmentNetwork(any(), any());
    }

    @Test
    void aCutOverThatFailsPutsTheSourceBackWithItsAddresses() {
        faultAt = "target power vm-copy POWERED_ON";

        InMemoryRun.Outcome outcome = InMemoryRun.run(workflow, params(false, null));

        assertThat(outcome.state()).isEqualTo(RunState.FAILED);
        assertThat(outcome.failure()).isInstanceOfSatisfying(VccProblemException.class,
                e -> assertThat(e.getMessage()).contains("runs at the source"));
        assertThat(sourceVms).containsEntry("vm-1", PowerState.POWERED_ON);
        assertThat(targetVms).isEmpty();
        assertThat(outcome.outputs()).containsEntry("runningAt", "source");
        verify(networks).retractFrom(NETWORK, CLOUD_B);
    }

    @Test
    void theSourceGoesOnlyOnceTheTargetAnswers() {
        InMemoryRun.Outcome outcome = InMemoryRun.run(workflow, params(false, null));

        assertThat(outcome.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(calls).containsSubsequence("target power vm-copy POWERED_ON", "answer", "source delete vm-1");
    }

    @Test
    void aTargetThatNeverAnswersFailsTheStretchCleanlyAndTheSourceRunsAgain() {
        silentTarget = true;

        InMemoryRun.Outcome outcome = InMemoryRun.run(workflow, params(false, null));

        assertThat(outcome.state()).isEqualTo(RunState.FAILED);
        assertThat(outcome.failure()).hasMessageContaining("does not answer at the target on " + IP).hasMessageContaining("runs at the source");
        assertThat(sourceVms).containsEntry("vm-1", PowerState.POWERED_ON);
        assertThat(targetVms).isEmpty();
        assertThat(outcome.outputs()).containsEntry("runningAt", "source");
        assertThat(calls).doesNotContain("source delete vm-1");
        verify(networks).retractFrom(NETWORK, CLOUD_B);
    }

    @Test
    void aNodeThatStopsAnsweringMidCutOverIsWaitedForAndTheCutOverFinishes() {
        unavailable.put("target power vm-copy POWERED_ON", 3);

        InMemoryRun.Outcome outcome = InMemoryRun.run(workflow, params(false, null));

        assertThat(outcome.state()).as("%s", outcome.failure()).isEqualTo(RunState.SUCCEEDED);
        assertThat(outcome.outputs()).containsEntry("runningAt", "target").containsKey("cutOverInterruptedSince");
        assertThat(targetVms).containsEntry("vm-copy", PowerState.POWERED_ON);
        assertThat(sourceVms).isEmpty();
    }

    @Test
    void aNodeAwayLongerThanTheCutOverWaitsPutsTheSourceBack() {
        StretchSettings impatient = new StretchSettings(DataSize.ofMegabytes(8), Duration.ofMinutes(1), Duration.ofMillis(1),
                Duration.ofSeconds(1), Duration.ZERO);
        unavailable.put("target power vm-copy POWERED_ON", 1000);

        InMemoryRun.Outcome outcome = InMemoryRun.run(new StretchWorkflow(steps(impatient),
                transfer, impatient), params(false, null));

        assertThat(outcome.state()).isEqualTo(RunState.FAILED);
        assertThat(outcome.failure()).hasMessageContaining("runs at the source");
        assertThat(sourceVms).containsEntry("vm-1", PowerState.POWERED_ON);
        assertThat(outcome.outputs()).containsEntry("runningAt", "source");
    }

    @Test
    void aFailureAfterTheCutOverLeavesTheVmRunningAtTheTargetAndSaysSo() {
        faultAt = "source delete vm-1";

        InMemoryRun.Outcome outcome = InMemoryRun.run(workflow, params(false, null));

        assertThat(outcome.state()).isEqualTo(RunState.FAILED);
        assertThat(outcome.compensated()).isFalse();
        assertThat(outcome.outputs()).containsEntry("runningAt", "target");
        assertThat(outcome.failure()).hasMessageContaining("runs at the target");
        assertThat(targetVms).containsEntry("vm-copy", PowerState.POWERED_ON);
        verify(networks, never()).retractFrom(any(), any());
    }

    @Test
    void aSourceNodeAwayWhileTheSourceIsRemovedIsWaitedForAndTheRemovalFinishes() {
        unavailable.put("source delete vm-1", 3);

        InMemoryRun.Outcome outcome = InMemoryRun.run(workflow, params(false, null));

        assertThat(outcome.state()).as("%s", outcome.failure()).isEqualTo(RunState.SUCCEEDED);
        assertThat(outcome.compensated()).isFalse();
        assertThat(outcome.outputs()).containsEntry("runningAt", "target");
        assertThat(calls).filteredOn("source delete vm-1"::equals).hasSize(4);
        assertThat(sourceVms).isEmpty();
        assertThat(targetVms).containsOnly(Map.entry("vm-copy", PowerState.POWERED_ON));
    }

    @Test
    void aRemovalRunAgainAfterTheSourceWasRemovedFindsItGoneAndSucceeds() {
        // The source node removed the VM, then it (or the server) died before the step was recorded done.
        answerLost.add("source delete vm-1");

        InMemoryRun.Outcome outcome = InMemoryRun.run(workflow, params(false, null));

        assertThat(outcome.state()).as("%s", outcome.failure()).isEqualTo(RunState.SUCCEEDED);
        assertThat(outcome.compensated()).isFalse();
        assertThat(calls).filteredOn("source delete vm-1"::equals).as("not deleted twice").hasSize(1);
        assertThat(sourceVms).isEmpty();
        assertThat(targetVms).containsOnly(Map.entry("vm-copy", PowerState.POWERED_ON));
    }

    @Test
    void aSourceNodeAwayPastTheStallDeadlineFailsSayingTheVmRunsAtTheTargetAndItsSourceCopyIsLeftToRemove() {
        unavailable.put("source delete vm-1", 1000);

        InMemoryRun.Outcome outcome = InMemoryRun.run(workflow, params(false, null));

        assertThat(outcome.state()).isEqualTo(RunState.FAILED);
        assertThat(outcome.compensated()).as("nothing undone past the cut-over").isFalse();
        assertThat(outcome.outputs()).containsEntry("runningAt", "target");
        assertThat(outcome.failure()).isInstanceOfSatisfying(VccProblemException.class, e -> {
            assertThat(e.type()).as("still a node away, as the engine reports a stall").isEqualTo(ProblemType.NODE_UNAVAILABLE);
            assertThat(e.getMessage()).contains("The VM runs at the target with its IP and MAC",
                    "copy at the source, VM web01 (vm-1) in source VDC vdc-a, could not be removed and is to be removed there",
                    "node unavailable at source delete vm-1");
        });
        assertThat(targetVms).containsOnly(Map.entry("vm-copy", PowerState.POWERED_ON));
        assertThat(sourceVms).containsOnly(Map.entry("vm-1", PowerState.POWERED_OFF));
        verify(networks, never()).retractFrom(any(), any());
    }

    @Test
    void aReverseRetractsTheNetworkFromTheCloudNoVmOfTheTenantIsLeftIn() {
        when(sourceSegments.segments()).thenReturn(new SegmentPorts(List.of(), List.of()));

        InMemoryRun.Outcome outcome = InMemoryRun.run(workflow, params(false, CLOUD_A));

        assertThat(outcome.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(outcome.outputs()).containsEntry("retracted", true);
        verify(sourceSegments).removeSegmentNetwork("vdc-a", "web");
        verify(networks).retractFrom(NETWORK, CLOUD_A);
    }

    @Test
    void aReverseLeavesTheNetworkInTheCloudAnotherStretchIsUnderWayInto() {
        when(sourceSegments.segments()).thenReturn(new SegmentPorts(List.of(), List.of()));
        when(deploys.othersUnderway(eq(NETWORK), eq(CLOUD_A), any())).thenReturn(true);

        InMemoryRun.Outcome outcome = InMemoryRun.run(workflow, params(false, CLOUD_A));

        assertThat(outcome.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(outcome.outputs()).containsEntry("retracted", false);
        verify(networks, never()).retractFrom(any(), any());
    }

    // ---- the stubbed clouds -----------------------------------------------------------------------------------

    private void cloud(NodeApi node, Map<String, PowerState> vms, String name) {
        when(node.vm(anyString())).thenAnswer(i -> {
            String id = i.getArgument(0);
            if (!vms.containsKey(id)) {
                throw VccProblemException.notFound("VM", id);
            }
            return vm(id, vms.get(id));
        });
        when(node.power(anyString(), any())).thenAnswer(i -> {
            String id = i.getArgument(0);
            PowerState state = i.getArgument(1, PowerRequest.class).state();
            fault(name + " power " + id + " " + state);
            vms.put(id, state);
            return vm(id, state);
        });
        doAnswer(i -> {
            String id = i.getArgument(0);
            fault(name + " delete " + id);
            vms.remove(id);
            if (answerLost.remove(name + " delete " + id)) {
                throw new VccProblemException(ProblemType.NODE_UNAVAILABLE, "answer lost after " + name + " delete " + id);
            }
            return null;
        }).when(node).deleteVm(anyString());
    }

    /** Records the call, and throws if the test armed a fault there. */
    private Object fault(String call) {
        calls.add(call);
        if (unavailable.merge(call, -1, Integer::sum) >= 0) {
            throw new VccProblemException(ProblemType.NODE_UNAVAILABLE, "node unavailable at " + call);
        }
        unavailable.remove(call);
        if (call.equals(faultAt)) {
            throw new VccProblemException(ProblemType.SIMULATED_FAULT, "injected at " + call);
        }
        return null;
    }

    private <R> Step<R> standIn(String name, Class<R> type) {
        return Step.of(name, type, context -> {
            fault(name);
            return StepOutcome.done(null);
        });
    }

    private static VmInfo vm(String id, PowerState state) {
        return new VmInfo(id, id.equals("vm-1") ? "vdc-a" : "vdc-b", "vapp", "web01", state, 1, 512, List.of(),
                List.of(new NicInfo(0, "web", MAC, IP)));
    }

    private static StretchParams params(boolean keepSource, UUID retractFrom) {
        return new StretchParams(UUID.randomUUID(), UUID.randomUUID(), SOURCE, "vdc-a", PackageKind.VM, "vm-1", UUID.randomUUID(), TARGET,
                "vdc-b", "web01", TransferMode.MOVE, TransferParams.Direction.PUSH, 8, "stretch-1", "sealed", CLOUD_A, CLOUD_B,
                List.of(new StretchParams.Vm("vm-1", "web01", List.of(new StretchParams.Nic(0, MAC, IP)))), NETWORK, "web",
                false, false, keepSource, List.of(), retractFrom, retractFrom == null ? null : SOURCE, retractFrom == null ? null : "vdc-a");
    }
}

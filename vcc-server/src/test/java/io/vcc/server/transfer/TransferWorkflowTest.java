package io.vcc.server.transfer;

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

import io.vcc.api.node.NodeApi;
import io.vcc.api.node.NodeKind;
import io.vcc.api.node.PowerState;
import io.vcc.api.node.Visibility;
import io.vcc.api.node.VmInfo;
import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import io.vcc.api.transfer.CheckpointLog;
import io.vcc.api.transfer.JobState;
import io.vcc.api.transfer.PackageFile;
import io.vcc.api.transfer.PackageKind;
import io.vcc.api.transfer.TransferJobStatus;
import io.vcc.api.transfer.TransferNodeApi;
import io.vcc.server.node.NodeGateway;
import io.vcc.server.node.NodeState;
import io.vcc.server.node.NodeView;
import io.vcc.server.workflow.InMemoryRun;
import io.vcc.server.workflow.RunState;
import io.vcc.server.workflow.Step;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.mockito.InOrder;
import org.springframework.util.unit.DataSize;

/**
 * The transfer workflow's steps in order and its compensations, with the node APIs stubbed (no processes, no
 * Spring context), as Temporal's booking saga is tested with mocked activities.
 */
class TransferWorkflowTest {

    private static final UUID SOURCE = UUID.randomUUID();
    private static final UUID TARGET = UUID.randomUUID();
    private static final List<PackageFile> FILES = List.of(new PackageFile("web.ovf", 10, "ab", 8, List.of("ab")));

    private final NodeGateway nodes = mock(NodeGateway.class);
    private final TransferPreflight preflight = mock(TransferPreflight.class);
    private final TransferNodeApi sourceTransfers = mock(TransferNodeApi.class);
    private final TransferNodeApi targetTransfers = mock(TransferNodeApi.class);
    private final NodeApi sourceNode = mock(NodeApi.class);
    private final NodeApi targetNode = mock(NodeApi.class);
    private final TransferSettings settings = new TransferSettings(DataSize.ofMegabytes(8), 2, Duration.ofMinutes(10), Duration.ofSeconds(1));
    private final TransferWorkflow workflow = new TransferWorkflow(new TransferSteps(nodes, preflight, settings), settings);

    TransferWorkflowTest() {
        when(nodes.get(SOURCE)).thenReturn(node(SOURCE, Visibility.PRIVATE));
        when(nodes.get(TARGET)).thenReturn(node(TARGET, Visibility.PUBLIC));
        when(nodes.unseal(anyString())).thenReturn("secret");
        when(nodes.client(SOURCE, TransferNodeApi.class)).thenReturn(sourceTransfers);
        when(nodes.client(TARGET, TransferNodeApi.class)).thenReturn(targetTransfers);
        when(nodes.nodeApi(SOURCE)).thenReturn(sourceNode);
        when(nodes.nodeApi(TARGET)).thenReturn(targetNode);
        when(preflight.check(any())).thenReturn(new TransferPreflight.Source("web", List.of()));
        when(sourceTransfers.export(anyString(), any())).thenReturn(done("export", null));
        when(sourceTransfers.push(anyString(), any())).thenReturn(done("transfer", null));
        when(targetTransfers.verify(anyString(), any())).thenReturn(done("verify", null));
        when(targetTransfers.importPackage(anyString(), any())).thenReturn(done("import", "vm-copy"));
        when(targetTransfers.checkpoints(anyString())).thenReturn(new CheckpointLog("t", List.of(), "vm-copy"));
        when(sourceNode.vm("vm-1")).thenReturn(vm("vm-1"));
        when(targetNode.vm("vm-copy")).thenReturn(vm("vm-copy"));
    }

    @Test
    void aMoveExportsTransfersVerifiesImportsThenRemovesTheSourceAndCleansUp() {
        InMemoryRun.Outcome outcome = InMemoryRun.run(workflow, params(TransferMode.MOVE));

        assertThat(outcome.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(outcome.outputs()).containsEntry("targetVmId", "vm-copy");
        assertThat(workflow.steps()).extracting(Step::name)
                .containsExactly("preflight", "export", "transfer", "verify", "import", "remove-source", "cleanup");
        InOrder order = inOrder(preflight, sourceTransfers, targetTransfers, sourceNode);
        order.verify(preflight).check(any());
        order.verify(sourceTransfers).export(anyString(), any());
        order.verify(targetTransfers).grant(anyString(), any());
        order.verify(sourceTransfers).push(anyString(), any());
        order.verify(targetTransfers).verify(anyString(), any());
        order.verify(targetTransfers).importPackage(anyString(), any());
        order.verify(sourceNode).deleteVm("vm-1");
        order.verify(sourceTransfers).cleanup(anyString());
        order.verify(targetTransfers).cleanup(anyString());
        verify(targetNode, never()).deleteVm(anyString());
    }

    @Test
    void aCopyKeepsTheSource() {
        InMemoryRun.Outcome outcome = InMemoryRun.run(workflow, params(TransferMode.COPY));

        assertThat(outcome.state()).isEqualTo(RunState.SUCCEEDED);
        verify(sourceNode, never()).deleteVm(anyString());
    }

    @Test
    void aFailedImportIsUndoneWithTheStagingOnBothNodesInReverseOrder() {
        when(targetTransfers.importPackage(anyString(), any())).thenReturn(new TransferJobStatus("import", JobState.FAILED, 0, 0, 0, 0,
                "no room", ProblemType.CAPACITY_EXHAUSTED.slug(), List.of(), null));

        InMemoryRun.Outcome outcome = InMemoryRun.run(workflow, params(TransferMode.MOVE));

        assertThat(outcome.state()).isEqualTo(RunState.FAILED);
        assertThat(outcome.compensated()).isTrue();
        assertThat(outcome.failure()).isInstanceOfSatisfying(VccProblemException.class,
                e -> assertThat(e.type()).isEqualTo(ProblemType.CAPACITY_EXHAUSTED));
        InOrder undo = inOrder(targetTransfers, targetNode, sourceTransfers);
        undo.verify(targetTransfers).checkpoints(anyString());
        undo.verify(targetNode).deleteVm("vm-copy");
        undo.verify(targetTransfers).cleanup(anyString());
        undo.verify(sourceTransfers).cleanup(anyString());
        verify(sourceNode, never()).deleteVm(anyString());
    }

    @Test
    void aCleanupThatFailsAfterTheSourceWasRemovedUndoesNothing() {
        doThrow(new VccProblemException(ProblemType.NODE_UNAVAILABLE, "target down")).when(targetTransfers).cleanup(anyString());

        InMemoryRun.Outcome outcome = InMemoryRun.run(workflow, params(TransferMode.MOVE));

        assertThat(outcome.state()).isEqualTo(RunState.FAILED);
        assertThat(outcome.compensated()).isFalse();
        verify(sourceNode).deleteVm("vm-1");
        verify(targetNode, never()).deleteVm(anyString());
    }

    @Test
    void aRunningJobIsFollowedByItsSmallStatusAndStartedAgainOnlyWhenTheNodeLostIt() {
        when(sourceTransfers.push(anyString(), any())).thenReturn(running("push"));
        when(sourceTransfers.status(anyString(), eq("push")))
                .thenReturn(running("push"))
                .thenThrow(VccProblemException.notFound("Job push of transfer", "transfer-1"))
                .thenReturn(done("push", null));

        InMemoryRun.Outcome outcome = InMemoryRun.run(workflow, params(TransferMode.COPY));

        assertThat(outcome.state()).isEqualTo(RunState.SUCCEEDED);
        // The request with every chunk's digest went out twice: at the start and after the node lost the job.
        verify(sourceTransfers, times(2)).push(anyString(), any());
        verify(sourceTransfers, times(3)).status(anyString(), eq("push"));
    }

    private static TransferParams params(TransferMode mode) {
        return new TransferParams(UUID.randomUUID(), UUID.randomUUID(), SOURCE, "vdc-a", PackageKind.VM, "vm-1", UUID.randomUUID(),
                TARGET, "vdc-b", null, mode, TransferParams.Direction.PUSH, 8, "transfer-1", "sealed");
    }

    private static TransferJobStatus running(String phase) {
        return new TransferJobStatus(phase, JobState.RUNNING, 5, 10, 5, 0, null, null, List.of(), null);
    }

    private static TransferJobStatus done(String phase, String importedId) {
        return new TransferJobStatus(phase, JobState.DONE, 10, 10, 10, 0, null, null, FILES, importedId);
    }

    private static NodeView node(UUID id, Visibility visibility) {
        return new NodeView(id, "node-" + id, NodeKind.VCC, visibility, "http://node-" + id, null, UUID.randomUUID(), List.of(),
                "1", NodeState.RUNNING, null, null, null, null, null);
    }

    private static VmInfo vm(String id) {
        return new VmInfo(id, "vdc", null, id, PowerState.POWERED_OFF, 1, 512, List.of(), List.of());
    }
}

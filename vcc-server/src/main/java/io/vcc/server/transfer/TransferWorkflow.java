package io.vcc.server.transfer;

import io.vcc.api.node.NodeApi;
import io.vcc.api.node.PowerRequest;
import io.vcc.api.node.PowerState;
import io.vcc.api.node.VmInfo;
import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import io.vcc.api.transfer.CheckpointLog;
import io.vcc.api.transfer.ExportRequest;
import io.vcc.api.transfer.ImportRequest;
import io.vcc.api.transfer.JobState;
import io.vcc.api.transfer.PackageFile;
import io.vcc.api.transfer.PackageKind;
import io.vcc.api.transfer.PeerGrant;
import io.vcc.api.transfer.PeerTransferRequest;
import io.vcc.api.transfer.TransferJobStatus;
import io.vcc.api.transfer.TransferNodeApi;
import io.vcc.api.transfer.VerifyRequest;
import io.vcc.api.node.Visibility;
import io.vcc.server.node.NodeGateway;
import io.vcc.server.node.NodeView;
import io.vcc.server.workflow.Step;
import io.vcc.server.workflow.StepContext;
import io.vcc.server.workflow.StepOutcome;
import io.vcc.server.workflow.WorkflowDefinition;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The transfer workflow. Every step asks a node to do (or tells it again, which is how it polls) one
 * idempotent thing; the nodes do the work and keep the checkpoints, the server never carries file bytes.
 * Compensations: export and transfer remove the staging on their node; import removes what it imported.
 * The source (VM, vApp's VMs or template) is removed (MOVE) only after the target's copy exists, so it is
 * never lost.
 */
@Component
class TransferWorkflow implements WorkflowDefinition {

    static final String TYPE = "transfer";
    private static final Logger log = LoggerFactory.getLogger(TransferWorkflow.class);

    private final NodeGateway nodes;
    private final TransferPreflight preflight;
    private final TransferSettings settings;

    TransferWorkflow(NodeGateway nodes, TransferPreflight preflight, TransferSettings settings) {
        this.nodes = nodes;
        this.preflight = preflight;
        this.settings = settings;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public int limitPerResource() {
        return settings.maxPerNode;
    }

    @Override
    public Duration stallDeadline() {
        return settings.nodeDeadline;
    }

    @Override
    public List<Step> steps() {
        return List.of(
                step("preflight", this::preflight, null),
                step("export", this::export, this::cleanupSource),
                step("transfer", this::transfer, this::cleanupTarget),
                step("verify", this::verify, null),
                step("import", this::importPackage, this::removeImported),
                new Step() {
                    @Override
                    public String name() {
                        return "remove-source";
                    }

                    @Override
                    public boolean applies(StepContext context) {
                        return params(context).mode() == TransferMode.MOVE;
                    }

                    @Override
                    public StepOutcome execute(StepContext context) {
                        return removeSource(context);
                    }
                },
                step("cleanup", this::cleanup, null));
    }

    /** Checks that can be made before anything runs, also when the request arrives: refuses two private nodes. */
    static TransferParams.Direction direction(NodeView source, NodeView target) {
        if (target.visibility() == Visibility.PUBLIC) {
            return TransferParams.Direction.PUSH;
        }
        if (source.visibility() == Visibility.PUBLIC) {
            return TransferParams.Direction.PULL;
        }
        throw new VccProblemException(ProblemType.TRANSFER_REFUSED, "Both nodes are private (" + source.name() + " and "
                + target.name() + "): neither can reach the other through its firewall, so no transfer between them is possible");
    }

    // ---- steps -----------------------------------------------------------------------------------

    private StepOutcome preflight(StepContext context) {
        TransferParams p = params(context);
        NodeView source = nodes.get(p.sourceNodeId());
        NodeView target = nodes.get(p.targetNodeId());
        if (direction(source, target) != p.direction()) {
            throw new VccProblemException(ProblemType.TRANSFER_REFUSED, "The nodes' visibility changed since the transfer was requested");
        }
        TransferPreflight.Source what = preflight.check(p);
        context.output("direction", p.direction().name());
        context.output("sourceId", p.sourceId());
        return StepOutcome.done(what);
    }

    private StepOutcome export(StepContext context) {
        TransferParams p = params(context);
        TransferJobStatus status = transfers(p.sourceNodeId()).export(id(context), new ExportRequest(p.kind(), p.sourceId(), p.chunkSize()));
        return follow(context, status, s -> StepOutcome.done(s.files()));
    }

    private StepOutcome transfer(StepContext context) {
        TransferParams p = params(context);
        List<PackageFile> files = files(context);
        String secret = nodes.unseal(p.peerSecretSealed());
        boolean push = p.direction() == TransferParams.Direction.PUSH;
        UUID serving = push ? p.targetNodeId() : p.sourceNodeId();
        UUID worker = push ? p.sourceNodeId() : p.targetNodeId();
        PeerGrant grant = new PeerGrant(push ? PeerGrant.Role.ACCEPT : PeerGrant.Role.SERVE, p.peerUsername(), secret, files,
                p.targetRemoteVdcId());
        if (context.recorded("granted").isEmpty()) {
            transfers(serving).grant(id(context), grant);
        }
        context.output("granted", true);
        NodeView peer = nodes.get(serving);
        PeerTransferRequest request = new PeerTransferRequest(peer.baseUrl(), peer.proxy(), p.peerUsername(), secret, files,
                p.targetRemoteVdcId());
        TransferJobStatus status;
        try {
            status = push ? transfers(worker).push(id(context), request) : transfers(worker).pull(id(context), request);
        } catch (VccProblemException e) {
            context.output("granted", null);
            throw e;
        }
        if (status.state() == JobState.RUNNING && ProblemType.UNAUTHORIZED.slug().equals(status.errorType())) {
            // The serving node does not know the credentials (it lost or never got the grant): grant again.
            transfers(serving).grant(id(context), grant);
        }
        context.output("bytesOnWire", status.bytesOnWire());
        context.output("chunksResent", status.chunksResent());
        return follow(context, status, s -> StepOutcome.done(new TransferResult(s.bytesOnWire(), s.chunksResent())));
    }

    record TransferResult(long bytesOnWire, int chunksResent) {
    }

    private StepOutcome verify(StepContext context) {
        TransferParams p = params(context);
        TransferJobStatus status = transfers(p.targetNodeId()).verify(id(context), new VerifyRequest(files(context)));
        return follow(context, status, s -> StepOutcome.done(null));
    }

    private StepOutcome importPackage(StepContext context) {
        TransferParams p = params(context);
        TransferPreflight.Source what = context.result("preflight", TransferPreflight.Source.class).orElseThrow();
        String name = p.targetName() != null ? p.targetName() : what.name();
        TransferJobStatus status = transfers(p.targetNodeId()).importPackage(id(context),
                new ImportRequest(p.targetRemoteVdcId(), name, p.mode() == TransferMode.MOVE, p.kind()));
        return follow(context, status, s -> {
            context.output(targetKey(p.kind()), s.importedId());
            return StepOutcome.done(s.importedId());
        });
    }

    /** The output naming what the transfer made: {@code targetVmId}, {@code targetVappId} or {@code targetTemplateId}. */
    private static String targetKey(PackageKind kind) {
        return switch (kind) {
            case VM -> "targetVmId";
            case VAPP -> "targetVappId";
            case TEMPLATE -> "targetTemplateId";
        };
    }

    private StepOutcome removeSource(StepContext context) {
        TransferParams p = params(context);
        remove(nodes.nodeApi(p.sourceNodeId()), p.kind(), p.sourceRemoteVdcId(), p.sourceId());
        return StepOutcome.done(null);
    }

    private StepOutcome cleanup(StepContext context) {
        TransferParams p = params(context);
        transfers(p.sourceNodeId()).cleanup(id(context));
        transfers(p.targetNodeId()).cleanup(id(context));
        return StepOutcome.done(null);
    }

    // ---- compensations ---------------------------------------------------------------------------

    private void cleanupSource(StepContext context) {
        transfers(params(context).sourceNodeId()).cleanup(id(context));
    }

    private void cleanupTarget(StepContext context) {
        transfers(params(context).targetNodeId()).cleanup(id(context));
    }

    private void removeImported(StepContext context) {
        TransferParams p = params(context);
        CheckpointLog log = transfers(p.targetNodeId()).checkpoints(id(context));
        String imported = log.importedId() != null ? log.importedId() : context.result("import", String.class).orElse(null);
        if (imported != null) {
            remove(nodes.nodeApi(p.targetNodeId()), p.kind(), p.targetRemoteVdcId(), imported);
        }
    }

    /** Removes a VM, a vApp's VMs (the vApp goes with its last VM) or a template; what is gone already is fine. */
    private static void remove(NodeApi node, PackageKind kind, String vdcId, String id) {
        try {
            switch (kind) {
                case VM -> removeVm(node, id);
                case VAPP -> node.vapps(vdcId).stream().filter(vapp -> vapp.id().equals(id)).findFirst()
                        .ifPresent(vapp -> vapp.vmIds().forEach(vmId -> removeVm(node, vmId)));
                case TEMPLATE -> node.deleteTemplate(id);
            }
        } catch (VccProblemException e) {
            if (e.type() != ProblemType.NOT_FOUND) {
                throw e;
            }
        }
    }

    private static void removeVm(NodeApi node, String vmId) {
        try {
            if (node.vm(vmId).state() == PowerState.POWERED_ON) {
                node.power(vmId, new PowerRequest(PowerState.POWERED_OFF));
            }
            node.deleteVm(vmId);
        } catch (VccProblemException e) {
            if (e.type() != ProblemType.NOT_FOUND) {
                throw e;
            }
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private StepOutcome follow(StepContext context, TransferJobStatus status, Function<TransferJobStatus, StepOutcome> whenDone) {
        context.progress(status.bytesDone(), status.bytesTotal());
        if (status.state() == JobState.DONE) {
            return whenDone.apply(status);
        }
        if (status.state() == JobState.FAILED) {
            ProblemType type = ProblemType.fromUri(URI.create("urn:vcc:problem:" + status.errorType()));
            throw new VccProblemException(type == null || type == ProblemType.NODE_UNAVAILABLE ? ProblemType.TRANSFER_FAILED : type,
                    status.phase() + " failed on the node: " + status.error());
        }
        return StepOutcome.waitFor(settings.pollInterval);
    }

    private TransferNodeApi transfers(UUID nodeId) {
        return nodes.client(nodeId, TransferNodeApi.class);
    }

    private static List<PackageFile> files(StepContext context) {
        return List.of(context.result("export", PackageFile[].class).orElseThrow());
    }

    private static String id(StepContext context) {
        return context.runId().toString();
    }

    private static TransferParams params(StepContext context) {
        return context.params(TransferParams.class);
    }

    private static Step step(String name, Function<StepContext, StepOutcome> execute, Consumer<StepContext> compensate) {
        return new Step() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public StepOutcome execute(StepContext context) {
                return execute.apply(context);
            }

            @Override
            public void compensate(StepContext context) {
                if (compensate != null) {
                    compensate.accept(context);
                }
            }
        };
    }
}

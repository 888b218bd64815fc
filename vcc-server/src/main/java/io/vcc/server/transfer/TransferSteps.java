package io.vcc.server.transfer;

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
import io.vcc.server.node.NodeGateway;
import io.vcc.server.node.NodeView;
import io.vcc.server.workflow.Step;
import io.vcc.server.workflow.StepContext;
import io.vcc.server.workflow.StepOutcome;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.springframework.stereotype.Component;

/**
 * The steps a transfer is made of, each with its compensation beside it, for the transfer workflow and for
 * workflows that move a VM as part of something larger (stretch deploy, HA): they read the run's parameters as
 * {@link TransferParams}. Every step asks a node to do one idempotent thing and then follows the node's job by its
 * small status (asking again when the node lost the job); the nodes do the work and keep the checkpoints, the
 * server never carries file bytes.
 */
@Component
public class TransferSteps {

    /** What the transfer step moved: bytes on the wire and chunks sent again after a failure. */
    public record TransferResult(long bytesOnWire, int chunksResent) {
    }

    private final NodeGateway nodes;
    private final TransferPreflight preflight;
    private final TransferSettings settings;

    private final Step<TransferPreflight.Source> preflightStep;
    private final Step<PackageFile[]> exportStep;
    private final Step<TransferResult> transferStep;
    private final Step<Void> verifyStep;
    private final Step<String> importStep;
    private final Step<Void> removeSourceStep;
    private final Step<Void> cleanupStep;

    TransferSteps(NodeGateway nodes, TransferPreflight preflight, TransferSettings settings) {
        this.nodes = nodes;
        this.preflight = preflight;
        this.settings = settings;
        this.preflightStep = Step.of("preflight", TransferPreflight.Source.class, this::checkPreflight);
        this.exportStep = Step.of("export", PackageFile[].class, this::export).compensatedBy(this::cleanupSource);
        this.transferStep = Step.of("transfer", TransferResult.class, this::transfer).compensatedBy(this::cleanupTarget);
        this.verifyStep = Step.of("verify", Void.class, this::verify);
        this.importStep = Step.of("import", String.class, this::importPackage).compensatedBy(this::removeImported);
        // Once the source may be gone, undoing the import would lose both copies.
        this.removeSourceStep = Step.of("remove-source", Void.class, this::removeSource)
                .onlyIf(context -> params(context).mode() == TransferMode.MOVE).asPointOfNoReturn();
        this.cleanupStep = Step.of("cleanup", Void.class, this::cleanup);
    }

    /** Checks again what was checked when the transfer was asked for; its result is what is transferred. */
    public Step<TransferPreflight.Source> preflight() {
        return preflightStep;
    }

    /** The source node stages the package; undone by removing that staging. */
    public Step<PackageFile[]> export() {
        return exportStep;
    }

    /** The package goes node to node (push or pull); undone by removing the target's staging. */
    public Step<TransferResult> transfer() {
        return transferStep;
    }

    /** The target checks every file against the manifest. */
    public Step<Void> verify() {
        return verifyStep;
    }

    /** The target makes the VM, vApp or template; undone by removing it. Its result is the new object's id. */
    public Step<String> importPackage() {
        return importStep;
    }

    /** A MOVE removes the source (skipped for a copy): a point of no return. */
    public Step<Void> removeSource() {
        return removeSourceStep;
    }

    /** Both nodes drop their staging. */
    public Step<Void> cleanup() {
        return cleanupStep;
    }

    // ---- actions -----------------------------------------------------------------------------------

    private StepOutcome<TransferPreflight.Source> checkPreflight(StepContext context) {
        TransferParams p = params(context);
        NodeView source = nodes.get(p.sourceNodeId());
        NodeView target = nodes.get(p.targetNodeId());
        if (TransferParams.Direction.between(source, target) != p.direction()) {
            throw new VccProblemException(ProblemType.TRANSFER_REFUSED, "The nodes' visibility changed since the transfer was requested");
        }
        TransferPreflight.Source what = preflight.check(p);
        context.output("direction", p.direction().name());
        context.output("sourceId", p.sourceId());
        return StepOutcome.done(what);
    }

    private StepOutcome<PackageFile[]> export(StepContext context) {
        TransferParams p = params(context);
        TransferJobStatus status = startOrPoll(context, p.sourceNodeId(), "export",
                api -> api.export(id(context), new ExportRequest(p.kind(), p.sourceId(), p.chunkSize())));
        return follow(context, status, s -> s.files().toArray(PackageFile[]::new));
    }

    private StepOutcome<TransferResult> transfer(StepContext context) {
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
            status = startOrPoll(context, worker, push ? "push" : "pull",
                    api -> push ? api.push(id(context), request) : api.pull(id(context), request));
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
        return follow(context, status, s -> new TransferResult(s.bytesOnWire(), s.chunksResent()));
    }

    private StepOutcome<Void> verify(StepContext context) {
        TransferParams p = params(context);
        TransferJobStatus status = startOrPoll(context, p.targetNodeId(), "verify",
                api -> api.verify(id(context), new VerifyRequest(files(context))));
        return follow(context, status, s -> null);
    }

    private StepOutcome<String> importPackage(StepContext context) {
        TransferParams p = params(context);
        TransferPreflight.Source what = context.result(preflightStep).orElseThrow();
        String name = p.targetName() != null ? p.targetName() : what.name();
        TransferJobStatus status = startOrPoll(context, p.targetNodeId(), "import", api -> api.importPackage(id(context),
                new ImportRequest(p.targetRemoteVdcId(), name, p.mode() == TransferMode.MOVE, p.kind())));
        return follow(context, status, s -> {
            context.output(targetKey(p.kind()), s.importedId());
            return s.importedId();
        });
    }

    private StepOutcome<Void> removeSource(StepContext context) {
        TransferParams p = params(context);
        Removal.remove(nodes.nodeApi(p.sourceNodeId()), p.kind(), p.sourceRemoteVdcId(), p.sourceId());
        return StepOutcome.done(null);
    }

    private StepOutcome<Void> cleanup(StepContext context) {
        TransferParams p = params(context);
        transfers(p.sourceNodeId()).cleanup(id(context));
        transfers(p.targetNodeId()).cleanup(id(context));
        return StepOutcome.done(null);
    }

    // ---- compensations -----------------------------------------------------------------------------

    private void cleanupSource(StepContext context) {
        transfers(params(context).sourceNodeId()).cleanup(id(context));
    }

    private void cleanupTarget(StepContext context) {
        transfers(params(context).targetNodeId()).cleanup(id(context));
    }

    private void removeImported(StepContext context) {
        TransferParams p = params(context);
        CheckpointLog log = transfers(p.targetNodeId()).checkpoints(id(context));
        String imported = log.importedId() != null ? log.importedId() : context.result(importStep).orElse(null);
        if (imported != null) {
            Removal.remove(nodes.nodeApi(p.targetNodeId()), p.kind(), p.targetRemoteVdcId(), imported);
        }
    }

    // ---- helpers -----------------------------------------------------------------------------------

    /** The output naming what the transfer made: {@code targetVmId}, {@code targetVappId} or {@code targetTemplateId}. */
    private static String targetKey(PackageKind kind) {
        return switch (kind) {
            case VM -> "targetVmId";
            case VAPP -> "targetVappId";
            case TEMPLATE -> "targetTemplateId";
        };
    }

    /** Done with {@code result} when the node's job is, a failure when it failed, else ask again soon ({@link #nextPoll}). */
    private <R> StepOutcome<R> follow(StepContext context, TransferJobStatus status, Function<TransferJobStatus, R> result) {
        context.progress(status.bytesDone(), status.bytesTotal());
        if (status.state() == JobState.DONE) {
            return StepOutcome.done(result.apply(status));
        }
        if (status.state() == JobState.FAILED) {
            ProblemType type = ProblemType.fromUri(URI.create("urn:vcc:problem:" + status.errorType()));
            throw new VccProblemException(type == null || type == ProblemType.NODE_UNAVAILABLE ? ProblemType.TRANSFER_FAILED : type,
                    status.phase() + " failed on the node: " + status.error());
        }
        return StepOutcome.waitFor(nextPoll(context.polls()));
    }

    /**
     * The wait before asking again: 50 ms after the start, doubling up to the poll interval, so that a short job
     * (verify, import, the small files) is seen done at once and a long one is not asked more often than set.
     */
    private Duration nextPoll(int polls) {
        Duration first = Duration.ofMillis(50L << Math.min(polls, 10));
        return first.compareTo(settings.pollInterval()) < 0 ? first : settings.pollInterval();
    }

    /**
     * Starts the node's job of the phase the first time; afterwards asks for its small status, and starts it again
     * only when the node no longer has it (it restarted, or its failure was reported): a request listing every
     * chunk's digest is sent once, not at every poll.
     */
    private TransferJobStatus startOrPoll(StepContext context, UUID nodeId, String phase,
                                          Function<TransferNodeApi, TransferJobStatus> start) {
        TransferNodeApi api = transfers(nodeId);
        if (context.polls() > 0) {
            try {
                TransferJobStatus status = api.status(id(context), phase);
                if (status != null) {
                    return status;
                }
            } catch (VccProblemException e) {
                if (e.type() != ProblemType.NOT_FOUND) {
                    throw e;
                }
            }
        }
        return start.apply(api);
    }

    private TransferNodeApi transfers(UUID nodeId) {
        return nodes.client(nodeId, TransferNodeApi.class);
    }

    private List<PackageFile> files(StepContext context) {
        return List.of(context.result(exportStep).orElseThrow());
    }

    private static String id(StepContext context) {
        return context.runId().toString();
    }

    private static TransferParams params(StepContext context) {
        return context.params(TransferParams.class);
    }
}

package io.vcc.server.transfer;

import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import io.vcc.server.node.NodeGateway;
import io.vcc.server.node.NodeView;
import io.vcc.server.vdc.VdcService;
import io.vcc.server.vdc.VdcView;
import io.vcc.server.workflow.OperationView;
import io.vcc.server.workflow.Workflows;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import org.springframework.stereotype.Service;

/**
 * Starts transfers: refuses at once what cannot work (VDCs not the caller's or of two tenants, two private
 * nodes, the VM not in the source VDC, no room or a name taken at the target), issues the per-transfer peer
 * credentials and starts the workflow, whose preflight step checks again when the transfer leaves the queue.
 */
@Service
class TransferService {

    private final VdcService vdcs;
    private final NodeGateway nodes;
    private final Workflows workflows;
    private final TransferPreflight preflight;
    private final TransferSettings settings;
    private final SecureRandom random = new SecureRandom();

    TransferService(VdcService vdcs, NodeGateway nodes, Workflows workflows, TransferPreflight preflight, TransferSettings settings) {
        this.vdcs = vdcs;
        this.nodes = nodes;
        this.preflight = preflight;
        this.workflows = workflows;
        this.settings = settings;
    }

    OperationView start(TransferRequest request) {
        VdcView source = vdcs.visibleVdc(request.sourceVdcId());
        VdcView target = vdcs.visibleVdc(request.targetVdcId());
        if (!source.tenantId().equals(target.tenantId())) {
            throw new VccProblemException(ProblemType.VALIDATION, "Source and target VDC belong to different tenants");
        }
        if (source.id().equals(target.id())) {
            throw new VccProblemException(ProblemType.VALIDATION, "Source and target are the same VDC");
        }
        NodeView sourceNode = nodes.get(source.nodeId());
        NodeView targetNode = nodes.get(target.nodeId());
        TransferParams.Direction direction = TransferParams.Direction.between(sourceNode, targetNode);
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        String username = "transfer-" + Long.toHexString(random.nextLong());
        TransferParams params = new TransferParams(source.tenantId(), source.id(), source.nodeId(), source.remoteId(), request.kind(),
                request.sourceId(), target.id(), target.nodeId(), target.remoteId(), request.targetName(), request.mode(), direction,
                settings.chunkBytes(), username, nodes.seal(secret));
        preflight.check(params);
        return workflows.start(TransferWorkflow.TYPE, source.tenantId(), params,
                new LinkedHashSet<>(List.of("node:" + source.nodeId(), "node:" + target.nodeId())));
    }
}

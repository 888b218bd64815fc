package io.vcc.server.transfer;

import com.fasterxml.jackson.annotation.JsonAlias;
import io.vcc.api.node.Visibility;
import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import io.vcc.api.transfer.PackageKind;
import io.vcc.server.node.NodeView;
import java.util.UUID;

/**
 * What a transfer run needs, fixed when it starts (the peer secret only encrypted); the parameters
 * {@link TransferSteps} read, also in a workflow that reuses them. {@code sourceId} is the
 * VM, vApp or template ({@code kind}, VM in runs from before there were kinds) in the source VDC.
 */
public record TransferParams(UUID tenantId, UUID sourceVdcId, UUID sourceNodeId, String sourceRemoteVdcId, PackageKind kind,
                      @JsonAlias("vmId") String sourceId, UUID targetVdcId, UUID targetNodeId, String targetRemoteVdcId,
                      String targetName, TransferMode mode, Direction direction, int chunkSize, String peerUsername,
                      String peerSecretSealed) {

    public TransferParams {
        kind = kind == null ? PackageKind.VM : kind;
    }

    /** Which node moves the bytes: the source pushes to a public target, else a private target pulls from a public source. */
    public enum Direction {
        PUSH, PULL;

        /**
         * The one rule, for every workflow that moves a package between two nodes (a transfer, a stretch deploy):
         * push when the target is public, pull when only the source is; two private nodes are refused.
         */
        public static Direction between(NodeView source, NodeView target) {
            if (target.visibility() == Visibility.PUBLIC) {
                return PUSH;
            }
            if (source.visibility() == Visibility.PUBLIC) {
                return PULL;
            }
            throw new VccProblemException(ProblemType.TRANSFER_REFUSED, "Both nodes are private (" + source.name() + " and "
                    + target.name() + "): neither can reach the other through its firewall, so no transfer between them is possible");
        }
    }
}

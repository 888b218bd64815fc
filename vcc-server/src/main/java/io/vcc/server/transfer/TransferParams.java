package io.vcc.server.transfer;

import com.fasterxml.jackson.annotation.JsonAlias;
import io.vcc.api.transfer.PackageKind;
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

    public enum Direction { PUSH, PULL }
}

package io.vcc.server.transfer;

import java.util.UUID;

/** What a transfer run needs, fixed when it starts (the peer secret only encrypted). */
record TransferParams(UUID tenantId, UUID sourceVdcId, UUID sourceNodeId, String sourceRemoteVdcId, String vmId,
                      UUID targetVdcId, UUID targetNodeId, String targetRemoteVdcId, String targetName,
                      TransferMode mode, Direction direction, int chunkSize, String peerUsername, String peerSecretSealed) {

    enum Direction { PUSH, PULL }
}

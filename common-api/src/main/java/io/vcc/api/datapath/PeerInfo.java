package io.vcc.api.datapath;

/** A peer node and the ids (never the secrets) of the keys held for the pair. */
public record PeerInfo(String nodeId, int datacenterTag, String tunnelAddress, Integer currentKeyId,
                       Integer previousKeyId, Integer stagedKeyId) {
}

package io.vcc.datapath;

/** Which keys this node holds for one peer, by id only: secrets never leave the datapath. */
public record PeerKeys(String nodeId, Integer currentKeyId, Integer previousKeyId, Integer stagedKeyId) {
}

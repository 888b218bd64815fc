package io.vcc.datapath;

import io.vcc.datapath.tunnel.KeyRing;
import io.vcc.datapath.tunnel.TunnelKey;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The tunnel keys of this node, one key ring per peer node, as the server issues them. Keys may be
 * installed before or after the peer is put in the tag map.
 *
 * <p>A lossless rotation from key 1 to key 2 of the pair (A, B): {@link #stage} key 2 on both nodes (each
 * now accepts it but still sends with key 1), then {@link #install} it on both (each sends with 2 and
 * still accepts 1), then {@link #retirePrevious} on both. Installing without staging also works; frames
 * the faster node sends with the new key before the slower one has it are dropped as
 * {@link DropReason#NO_KEY} and counted.
 */
public final class TunnelKeys {

    private final ConcurrentHashMap<String, KeyRing> rings = new ConcurrentHashMap<>();

    /** Makes {@code key} the key this node sends to {@code peerNodeId} with; the previous key stays accepted. */
    public void install(String peerNodeId, TunnelKey key) {
        ring(peerNodeId).install(Objects.requireNonNull(key, "key"));
    }

    /** Accepts {@code key} from {@code peerNodeId} without sending with it yet. */
    public void stage(String peerNodeId, TunnelKey key) {
        ring(peerNodeId).stage(Objects.requireNonNull(key, "key"));
    }

    /** Stops accepting the key that the last {@link #install} replaced. */
    public void retirePrevious(String peerNodeId) {
        ring(peerNodeId).retirePrevious();
    }

    /** Forgets all keys for {@code peerNodeId}. */
    public void remove(String peerNodeId) {
        KeyRing ring = rings.get(peerNodeId);
        if (ring != null) {
            ring.clear();
        }
    }

    public List<PeerKeys> states() {
        return rings.entrySet().stream()
                .map(e -> new PeerKeys(e.getKey(), e.getValue().currentKeyId(), e.getValue().previousKeyId(),
                        e.getValue().stagedKeyId()))
                .sorted(Comparator.comparing(PeerKeys::nodeId))
                .toList();
    }

    // A peer's ring lives as long as the datapath, so that the send sequence and the replay window of the
    // pair survive the peer being re-put in the tag map.
    KeyRing ring(String peerNodeId) {
        return rings.computeIfAbsent(Objects.requireNonNull(peerNodeId, "peerNodeId"), id -> new KeyRing());
    }
}

package io.vcc.api.datapath;

import jakarta.validation.Valid;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.service.annotation.DeleteExchange;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.annotation.HttpExchange;
import org.springframework.web.service.annotation.PutExchange;

/**
 * A VCC node's datapath under {@code /node/v1/datapath}; every call needs a node session. Changes apply
 * live: traffic of segments and peers a call does not touch carries on undisturbed. Every {@code PUT} is
 * idempotent and every {@code DELETE} of something absent succeeds, so the server can simply program the
 * state it wants again after any failure.
 */
@HttpExchange("/node/v1/datapath")
public interface DatapathApi {

    /** Where the datapath listens, the tag map, the key ids, the MTU budget and the per-segment counters. */
    @GetExchange
    DatapathState state();

    /**
     * Gives the node its datacenter tag; the first call binds the datapath's ports. A different tag than the
     * running one restarts the datapath on the same ports with an empty tag map, to be programmed anew.
     */
    @PutExchange
    DatapathState setup(@Valid @RequestBody DatapathSetup setup);

    @PutExchange("/segments/{vni}")
    void putSegment(@PathVariable int vni, @Valid @RequestBody SegmentSpec segment);

    @DeleteExchange("/segments/{vni}")
    void removeSegment(@PathVariable int vni);

    /** Adds or updates a peer node; with a key, also makes it the key this node sends to the peer with. */
    @PutExchange("/peers/{nodeId}")
    void putPeer(@PathVariable String nodeId, @Valid @RequestBody PeerSpec peer);

    /** Forgets the peer and every key of the pair. */
    @DeleteExchange("/peers/{nodeId}")
    void removePeer(@PathVariable String nodeId);

    /** A step of a key rotation: stage the new key on both nodes, then activate it on both. */
    @PutExchange("/peers/{nodeId}/keys/{keyId}")
    void putKey(@PathVariable String nodeId, @PathVariable int keyId, @Valid @RequestBody KeySpec key);

    /** The last step of a key rotation: stop accepting the key the active one replaced. */
    @DeleteExchange("/peers/{nodeId}/keys/previous")
    void retirePreviousKey(@PathVariable String nodeId);
}

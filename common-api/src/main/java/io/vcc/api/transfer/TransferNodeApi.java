package io.vcc.api.transfer;

import jakarta.validation.Valid;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.service.annotation.DeleteExchange;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.annotation.HttpExchange;
import org.springframework.web.service.annotation.PutExchange;

/**
 * What the server asks of a node for one transfer. Every {@code PUT} is idempotent: the first call starts
 * the work, later calls answer where it is, so the server polls with the same call and a node that
 * restarted picks the work up again from its checkpoints. Once started, a job is followed with the small
 * {@link #status} instead of sending its request (which may list every chunk's digest) again.
 */
@HttpExchange("/node/v1/transfers")
public interface TransferNodeApi {

    @PutExchange("/{transferId}/export")
    TransferJobStatus export(@PathVariable String transferId, @Valid @RequestBody ExportRequest request);

    @PutExchange("/{transferId}/grant")
    void grant(@PathVariable String transferId, @Valid @RequestBody PeerGrant grant);

    @PutExchange("/{transferId}/push")
    TransferJobStatus push(@PathVariable String transferId, @Valid @RequestBody PeerTransferRequest request);

    @PutExchange("/{transferId}/pull")
    TransferJobStatus pull(@PathVariable String transferId, @Valid @RequestBody PeerTransferRequest request);

    @PutExchange("/{transferId}/verify")
    TransferJobStatus verify(@PathVariable String transferId, @Valid @RequestBody VerifyRequest request);

    @PutExchange("/{transferId}/import")
    TransferJobStatus importPackage(@PathVariable String transferId, @Valid @RequestBody ImportRequest request);

    /**
     * Where the node's job of one phase ({@code export}, {@code push}, {@code pull}, {@code verify}, {@code import})
     * is; 404 {@code not-found} when the node has no such job to report (it restarted, or a failure was already
     * reported): then the phase's {@code PUT} starts it again.
     */
    @GetExchange("/{transferId}/jobs/{phase}")
    TransferJobStatus status(@PathVariable String transferId, @PathVariable String phase);

    @GetExchange("/{transferId}")
    CheckpointLog checkpoints(@PathVariable String transferId);

    /** Stops the transfer's work here and removes its staging files, checkpoints and peer grant. */
    @DeleteExchange("/{transferId}")
    void cleanup(@PathVariable String transferId);
}

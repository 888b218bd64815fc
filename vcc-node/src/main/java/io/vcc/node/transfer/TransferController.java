package io.vcc.node.transfer;

import io.vcc.api.problem.VccProblemException;
import io.vcc.api.transfer.CheckpointLog;
import io.vcc.api.transfer.ExportRequest;
import io.vcc.api.transfer.ImportRequest;
import io.vcc.api.transfer.PeerGrant;
import io.vcc.api.transfer.PeerTransferRequest;
import io.vcc.api.transfer.TransferJobStatus;
import io.vcc.api.transfer.VerifyRequest;
import jakarta.validation.Valid;
import java.io.IOException;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** What the server asks of this node for a transfer (the {@code TransferNodeApi} contract); node sessions only. */
@RestController
@RequestMapping("/node/v1/transfers/{transferId}")
class TransferController {

    private final TransferService transfers;
    private final SourceExport export;
    private final SourcePush push;
    private final TargetReceive receive;
    private final TargetImport target;
    private final Checkpoints checkpoints;

    TransferController(TransferService transfers, SourceExport export, SourcePush push, TargetReceive receive, TargetImport target,
                       Checkpoints checkpoints) {
        this.transfers = transfers;
        this.export = export;
        this.push = push;
        this.receive = receive;
        this.target = target;
        this.checkpoints = checkpoints;
    }

    @PutMapping("/export")
    TransferJobStatus export(@PathVariable String transferId, @Valid @RequestBody ExportRequest request) {
        return export.export(id(transferId), request);
    }

    @PutMapping("/grant")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void grant(@PathVariable String transferId, @Valid @RequestBody PeerGrant grant) throws IOException {
        transfers.grant(id(transferId), grant);
    }

    @PutMapping("/push")
    TransferJobStatus push(@PathVariable String transferId, @Valid @RequestBody PeerTransferRequest request) {
        return push.push(id(transferId), request);
    }

    @PutMapping("/pull")
    TransferJobStatus pull(@PathVariable String transferId, @Valid @RequestBody PeerTransferRequest request) {
        return receive.pull(id(transferId), request);
    }

    @PutMapping("/verify")
    TransferJobStatus verify(@PathVariable String transferId, @Valid @RequestBody VerifyRequest request) {
        return target.verify(id(transferId), request);
    }

    @PutMapping("/import")
    TransferJobStatus importPackage(@PathVariable String transferId, @Valid @RequestBody ImportRequest request) {
        return target.importPackage(id(transferId), request);
    }

    @GetMapping("/jobs/{phase}")
    TransferJobStatus status(@PathVariable String transferId, @PathVariable String phase) {
        return transfers.status(id(transferId), phase);
    }

    @GetMapping
    CheckpointLog checkpoints(@PathVariable String transferId) {
        return checkpoints.log(id(transferId));
    }

    @DeleteMapping
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void cleanup(@PathVariable String transferId) throws IOException {
        transfers.cleanup(id(transferId));
    }

    static UUID id(String transferId) {
        try {
            return UUID.fromString(transferId);
        } catch (IllegalArgumentException e) {
            throw VccProblemException.notFound("Transfer", transferId);
        }
    }
}

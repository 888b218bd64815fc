package io.vcc.server.transfer;

import io.vcc.server.workflow.OperationView;
import jakarta.validation.Valid;
import java.net.URI;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /api/v1/transfers}: 202 Accepted, the operation at {@code Location}. */
@RestController
class TransferController {

    private final TransferService transfers;

    TransferController(TransferService transfers) {
        this.transfers = transfers;
    }

    @PostMapping("/api/v1/transfers")
    @PreAuthorize("hasRole('TENANT_ADMIN')")
    ResponseEntity<OperationView> start(@Valid @RequestBody TransferRequest request) {
        OperationView operation = transfers.start(request);
        return ResponseEntity.accepted().location(URI.create("/api/v1/operations/" + operation.id())).body(operation);
    }
}

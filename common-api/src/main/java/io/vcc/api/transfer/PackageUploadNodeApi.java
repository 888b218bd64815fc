package io.vcc.api.transfer;

import jakarta.validation.Valid;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.service.annotation.DeleteExchange;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.annotation.HttpExchange;
import org.springframework.web.service.annotation.PostExchange;

/**
 * Packages uploaded into a VDC through the server (node sessions only). The JSON half of the contract:
 * the bytes go with {@code PATCH /node/v1/uploads/{id}?vdcId=} ({@code Upload-Offset} header,
 * {@code application/offset+octet-stream} body, answered with the status), and a VM's OVA comes from
 * {@code GET /node/v1/vms/{vmId}/ova?vdcId=} (with {@code Range}); both stream, so callers send them with a
 * plain HTTP client. Every call names the VDC: an upload or VM of another VDC is not found.
 */
@HttpExchange("/node/v1/uploads")
public interface PackageUploadNodeApi {

    @PostExchange
    PackageUploadStatus create(@Valid @RequestBody PackageUploadRequest request);

    /**
     * Creates the upload of one file of an OVF upload whose descriptor is in; its bytes go with
     * {@code PATCH /node/v1/uploads/{id}/files/{name}?vdcId=} like the descriptor's.
     */
    @PostExchange("/{uploadId}/files")
    PackageUploadStatus createFile(@PathVariable String uploadId, @Valid @RequestBody PackageFileRequest request);

    @GetExchange("/{uploadId}")
    PackageUploadStatus status(@PathVariable String uploadId, @RequestParam String vdcId);

    /** Stops receiving and removes the staged bytes; refused with {@code invalid-state} while importing. */
    @DeleteExchange("/{uploadId}")
    void abort(@PathVariable String uploadId, @RequestParam String vdcId);
}

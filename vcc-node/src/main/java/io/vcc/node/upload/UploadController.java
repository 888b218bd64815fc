package io.vcc.node.upload;

import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import io.vcc.api.transfer.PackageFileRequest;
import io.vcc.api.transfer.PackageUploadRequest;
import io.vcc.api.transfer.PackageUploadStatus;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import java.io.IOException;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Packages uploaded into a VDC, as the server relays them ({@code PackageUploadNodeApi}; node sessions
 * only). {@code PATCH} streams the body to the staging file; the server never holds it. An OVF upload's other
 * files are uploads below it ({@code /files}), each with its own offset.
 */
@RestController
@RequestMapping("/node/v1/uploads")
class UploadController {

    static final String OFFSET_STREAM = "application/offset+octet-stream";

    private final PackageUploadService uploads;

    UploadController(PackageUploadService uploads) {
        this.uploads = uploads;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    PackageUploadStatus create(@Valid @RequestBody PackageUploadRequest request) throws IOException {
        return uploads.create(request);
    }

    @PostMapping("/{uploadId}/files")
    @ResponseStatus(HttpStatus.CREATED)
    PackageUploadStatus createFile(@PathVariable String uploadId, @Valid @RequestBody PackageFileRequest request) throws IOException {
        return uploads.createFile(id(uploadId), request);
    }

    @PatchMapping(value = "/{uploadId}/files/{name}", consumes = OFFSET_STREAM)
    PackageUploadStatus appendFile(@PathVariable String uploadId, @PathVariable String name, @RequestParam String vdcId,
                                   @RequestHeader("Upload-Offset") long offset, HttpServletRequest request) throws IOException {
        if (offset < 0) {
            throw new VccProblemException(ProblemType.VALIDATION, "Upload-Offset must not be negative");
        }
        return uploads.appendFile(id(uploadId), vdcId, name, offset, request.getContentLengthLong(), request.getInputStream());
    }

    @GetMapping("/{uploadId}")
    PackageUploadStatus status(@PathVariable String uploadId, @RequestParam String vdcId) {
        return uploads.status(id(uploadId), vdcId);
    }

    @PatchMapping(value = "/{uploadId}", consumes = OFFSET_STREAM)
    PackageUploadStatus append(@PathVariable String uploadId, @RequestParam String vdcId,
                               @RequestHeader("Upload-Offset") long offset, HttpServletRequest request) throws IOException {
        if (offset < 0) {
            throw new VccProblemException(ProblemType.VALIDATION, "Upload-Offset must not be negative");
        }
        return uploads.append(id(uploadId), vdcId, offset, request.getContentLengthLong(), request.getInputStream());
    }

    @DeleteMapping("/{uploadId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void abort(@PathVariable String uploadId, @RequestParam String vdcId) throws IOException {
        uploads.abort(id(uploadId), vdcId);
    }

    private static UUID id(String uploadId) {
        try {
            return UUID.fromString(uploadId);
        } catch (IllegalArgumentException e) {
            throw VccProblemException.notFound("Upload", uploadId);
        }
    }
}

package io.vcc.server.transfer;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import io.vcc.api.transfer.PackageKind;
import io.vcc.api.transfer.PackageUploadState;
import io.vcc.support.web.Problems;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.util.UriUtils;

/**
 * Uploading a package (an OVA, or an OVF descriptor and its files) into a VDC, resumable, following the tus 1.0
 * protocol (core, creation, creation-with-upload, termination) so that existing tus clients work:
 * <ul>
 *   <li>{@code POST /api/v1/vdcs/{id}/imports} with {@code Upload-Length} creates an import: 201 and its
 *       {@code Location}. The VM's name and whether to keep the package's MAC addresses come as query
 *       parameters {@code name} and {@code keepMacs} or as tus {@code Upload-Metadata} keys of those names. With
 *       a body ({@code Content-Type: application/offset+octet-stream} or {@code application/octet-stream}, e.g.
 *       {@code curl -H 'Content-Type: application/octet-stream' --data-binary @vm.ova}) the body is the start of
 *       the OVA, or all of it when {@code Upload-Length} is left out;</li>
 *   <li>{@code HEAD} on the import: {@code Upload-Offset} (bytes durably received) and {@code Upload-Length};</li>
 *   <li>{@code PATCH} with {@code Upload-Offset} (which must be that offset, else 409 offset-mismatch) and a
 *       {@code application/offset+octet-stream} body appends; 204 with the new {@code Upload-Offset}. A client that
 *       cannot send PATCH POSTs with {@code X-HTTP-Method-Override: PATCH}, as tus allows;</li>
 *   <li>{@code GET} shows the import as JSON (RECEIVING, IMPORTING, SUCCEEDED with the VM, FAILED with the
 *       problem); {@code DELETE} aborts it and removes the staged bytes.</li>
 * </ul>
 * Bodies stream through to the node that serves the VDC; the server never holds them.
 */
@RestController
@RequestMapping("/api/v1/vdcs/{id}/imports")
class PackageImportController {

    static final String TUS_VERSION = "1.0.0";
    static final String OFFSET_STREAM = "application/offset+octet-stream";

    private final PackageImportService imports;

    PackageImportController(PackageImportService imports) {
        this.imports = imports;
    }

    @RequestMapping(method = RequestMethod.OPTIONS)
    @Operation(summary = "The tus protocol version and extensions this endpoint speaks")
    ResponseEntity<Void> options() {
        return ResponseEntity.noContent().header("Tus-Resumable", TUS_VERSION).header("Tus-Version", TUS_VERSION)
                .header("Tus-Extension", "creation,creation-with-upload,termination").build();
    }

    @PostMapping
    @Operation(summary = "Create an import of an OVA, or of an OVF descriptor whose files follow, into the VDC (tus creation), "
            + "optionally with the first or all bytes",
            parameters = {
                    @Parameter(in = ParameterIn.HEADER, name = "Upload-Length", description = "The OVA's (descriptor's) size in "
                            + "bytes; may be left out when the body is all of it"),
                    @Parameter(in = ParameterIn.HEADER, name = "Upload-Metadata", description = "tus metadata: "
                            + "'name <base64>', 'kind <base64>', 'keepMacs <base64 of true|false>', 'filename <base64>', "
                            + "'deploymentOption <base64>', 'allowUnsigned <base64 of true|false>'"),
                    @Parameter(in = ParameterIn.HEADER, name = "Tus-Resumable", description = "1.0.0"),
                    @Parameter(in = ParameterIn.QUERY, name = "name", description = "The VM's, vApp's or template's name; the package's own by default"),
                    @Parameter(in = ParameterIn.QUERY, name = "kind", description = "What the package becomes: VM (default), "
                            + "VAPP (all its virtual systems as one vApp) or TEMPLATE (a template in the VDC's catalog)"),
                    @Parameter(in = ParameterIn.QUERY, name = "keepMacs", description = "Keep the package's MAC addresses "
                            + "where they are free (default false: new ones)"),
                    @Parameter(in = ParameterIn.QUERY, name = "filename", description = "The file's name; one ending in .ovf "
                            + "makes this the upload of a descriptor, whose files then follow (POST .../files)"),
                    @Parameter(in = ParameterIn.QUERY, name = "deploymentOption", description = "The package's deployment "
                            + "option (DeploymentOptionSection configuration, e.g. small or large) to import; its default "
                            + "when left out. One it does not offer is refused (400) naming those it does"),
                    @Parameter(in = ParameterIn.QUERY, name = "allowUnsigned", description = "Import the package even "
                            + "without a manifest (admins only; 403 for others). Refused with missing-manifest otherwise, "
                            + "unless the VDC allows unsigned packages")},
            responses = @ApiResponse(responseCode = "201", description = "Created; Location names the import",
                    content = @Content(schema = @Schema(implementation = ImportView.class))))
    @PreAuthorize("hasRole('TENANT_ADMIN')")
    ResponseEntity<?> create(@PathVariable UUID id,
                             @RequestHeader(value = "Upload-Length", required = false) Long uploadLength,
                             @RequestHeader(value = "Upload-Metadata", required = false) String metadata,
                             @RequestHeader(value = "Tus-Resumable", required = false) String tus,
                             HttpServletRequest request) {
        checkTus(tus);
        // Query parameters read by hand: asking the servlet for parameters would read a form-encoded body.
        Map<String, String> options = options(request.getQueryString(), metadata);
        long length = creationLength(uploadLength, request);
        String filename = blankToNull(options.get("filename"));
        String descriptor = filename != null && filename.toLowerCase(Locale.ROOT).endsWith(".ovf") ? filename : null;
        Boolean keepMacs = options.containsKey("keepMacs") ? Boolean.valueOf(options.get("keepMacs")) : null;
        ImportView created = imports.create(id, length, blankToNull(options.get("name")), keepMacs, kind(options.get("kind")),
                descriptor, blankToNull(options.get("deploymentOption")), flag("allowUnsigned", options.get("allowUnsigned")));
        return createdWithBody(URI.create("/api/v1/vdcs/" + id + "/imports/" + created.id()), id, created, null, request);
    }

    @PostMapping("/{importId}/files")
    @Operation(summary = "Create the upload of one file of an OVF import whose descriptor is in (tus creation): a file the "
            + "descriptor references, its manifest or its certificate; the import starts when all it needs are complete",
            parameters = {
                    @Parameter(in = ParameterIn.HEADER, name = "Upload-Length", description = "The file's size in bytes; "
                            + "may be left out when the body is all of it"),
                    @Parameter(in = ParameterIn.HEADER, name = "Upload-Metadata", description = "tus metadata: 'filename <base64>'"),
                    @Parameter(in = ParameterIn.QUERY, name = "filename", description = "The file's name, as the descriptor references it")},
            responses = @ApiResponse(responseCode = "201", description = "Created; Location names the file's upload",
                    content = @Content(schema = @Schema(implementation = ImportView.class))))
    @PreAuthorize("hasRole('TENANT_ADMIN')")
    ResponseEntity<?> createFile(@PathVariable UUID id, @PathVariable String importId,
                                 @RequestHeader(value = "Upload-Length", required = false) Long uploadLength,
                                 @RequestHeader(value = "Upload-Metadata", required = false) String metadata,
                                 @RequestHeader(value = "Tus-Resumable", required = false) String tus,
                                 HttpServletRequest request) {
        checkTus(tus);
        String filename = blankToNull(options(request.getQueryString(), metadata).get("filename"));
        if (filename == null) {
            throw new VccProblemException(ProblemType.VALIDATION, "Name the file: tus metadata 'filename <base64>' or ?filename=");
        }
        long length = creationLength(uploadLength, request);
        ImportView created = imports.createFile(id, importId, filename, length);
        URI location = URI.create("/api/v1/vdcs/" + id + "/imports/" + created.id() + "/files/"
                + UriUtils.encodePathSegment(filename, StandardCharsets.UTF_8));
        return createdWithBody(location, id, created, filename, request);
    }

    /** The upload's length: Upload-Length, or the body's Content-Length when the body is all of it. */
    private static long creationLength(Long uploadLength, HttpServletRequest request) {
        long bodyLength = request.getContentLengthLong();
        if (withBody(request)) {
            checkBodyType(request.getContentType(), true);
        }
        if (uploadLength == null && !(withBody(request) && bodyLength > 0)) {
            throw new VccProblemException(ProblemType.VALIDATION, "Upload-Length is required (or send the whole file "
                    + "with a Content-Length); deferred lengths are not supported");
        }
        long length = uploadLength != null ? uploadLength : bodyLength;
        if (length < 0) {
            throw new VccProblemException(ProblemType.VALIDATION, "Upload-Length must not be negative");
        }
        return length;
    }

    private static boolean withBody(HttpServletRequest request) {
        long bodyLength = request.getContentLengthLong();
        return bodyLength > 0 || (bodyLength < 0 && request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null);
    }

    /** 201 for a created upload (the import's own or a file's), after appending the creation request's body, if any. */
    @PreAuthorize("hasRole('TENANT_ADMIN')")
    private ResponseEntity<?> createdWithBody(URI location, UUID id, ImportView created, String fileName, HttpServletRequest request) {
        if (withBody(request)) {
            try {
                created = imports.append(id, created.id(), fileName, 0, request.getContentLengthLong(), body(request));
            } catch (VccProblemException e) {
                ImportView now = imports.status(id, created.id());
                if (now.state() == PackageUploadState.FAILED) {
                    // Refused: the problem, and where the refused import can be looked at.
                    return ResponseEntity.status(e.type().status()).location(location).header("Tus-Resumable", TUS_VERSION)
                            .contentType(MediaType.APPLICATION_PROBLEM_JSON).body(Problems.of(e.type(), e.getMessage()));
                }
                // Created, with the body cut short: as tus has it, 201 with the offset to go on from.
                created = now;
            }
        }
        return ResponseEntity.created(location)
                .header("Tus-Resumable", TUS_VERSION)
                .header("Upload-Offset", Long.toString(created.progress(fileName).offset()))
                .body(created);
    }

    @RequestMapping(path = "/{importId}", method = RequestMethod.HEAD)
    @Operation(summary = "Where the upload is (tus): Upload-Offset and Upload-Length")
    ResponseEntity<Void> head(@PathVariable UUID id, @PathVariable String importId) {
        return where(id, importId, null);
    }

    /** tus HEAD: the offset and length of the import's own upload ({@code fileName} null) or of one of its files. */
    private ResponseEntity<Void> where(UUID id, String importId, String fileName) {
        ImportView status = imports.status(id, importId);
        ImportView.Progress progress = status.progress(fileName);
        return ResponseEntity.ok().header("Tus-Resumable", TUS_VERSION)
                .header("Upload-Offset", Long.toString(progress.offset()))
                .header("Upload-Length", Long.toString(progress.length()))
                .header("Vcc-Import-State", status.state().name())
                .header(HttpHeaders.CACHE_CONTROL, "no-store").build();
    }

    @PatchMapping(path = "/{importId}", consumes = OFFSET_STREAM)
    @Operation(summary = "Append bytes at Upload-Offset (tus); 409 offset-mismatch when it is not the import's offset",
            parameters = @Parameter(in = ParameterIn.HEADER, name = "Upload-Offset", required = true))
    ResponseEntity<Void> append(@PathVariable UUID id, @PathVariable String importId,
                                @RequestHeader("Upload-Offset") long offset,
                                @RequestHeader(value = "Tus-Resumable", required = false) String tus,
                                HttpServletRequest request) {
        return appended(id, importId, null, offset, tus, request);
    }

    /**
     * The PATCH of a client whose HTTP stack cannot send one (Java's {@code HttpURLConnection}, which the tus Java
     * client uses): tus 1.0 has such clients POST with {@code X-HTTP-Method-Override: PATCH}.
     */
    @PostMapping(path = "/{importId}", headers = "X-HTTP-Method-Override=PATCH", consumes = OFFSET_STREAM)
    @Operation(summary = "Append bytes at Upload-Offset (tus) for clients that cannot send PATCH: POST with "
            + "X-HTTP-Method-Override: PATCH",
            parameters = @Parameter(in = ParameterIn.HEADER, name = "Upload-Offset", required = true))
    ResponseEntity<Void> appendOverridden(@PathVariable UUID id, @PathVariable String importId,
                                          @RequestHeader("Upload-Offset") long offset,
                                          @RequestHeader(value = "Tus-Resumable", required = false) String tus,
                                          HttpServletRequest request) {
        return appended(id, importId, null, offset, tus, request);
    }

    @PreAuthorize("hasRole('TENANT_ADMIN')")
    private ResponseEntity<Void> appended(UUID id, String importId, String fileName, long offset, String tus,
                                          HttpServletRequest request) {
        checkTus(tus);
        if (offset < 0) {
            throw new VccProblemException(ProblemType.VALIDATION, "Upload-Offset must not be negative");
        }
        ImportView status = imports.append(id, importId, fileName, offset, request.getContentLengthLong(), body(request));
        return ResponseEntity.noContent().header("Tus-Resumable", TUS_VERSION)
                .header("Upload-Offset", Long.toString(status.progress(fileName).offset())).build();
    }

    @RequestMapping(path = "/{importId}/files/{fileName}", method = RequestMethod.HEAD)
    @Operation(summary = "Where the upload of one file of an OVF import is (tus): Upload-Offset and Upload-Length")
    ResponseEntity<Void> headFile(@PathVariable UUID id, @PathVariable String importId, @PathVariable String fileName) {
        return where(id, importId, fileName);
    }

    @PatchMapping(path = "/{importId}/files/{fileName}", consumes = OFFSET_STREAM)
    @Operation(summary = "Append bytes to one file of an OVF import at Upload-Offset (tus)",
            parameters = @Parameter(in = ParameterIn.HEADER, name = "Upload-Offset", required = true))
    ResponseEntity<Void> appendFile(@PathVariable UUID id, @PathVariable String importId, @PathVariable String fileName,
                                    @RequestHeader("Upload-Offset") long offset,
                                    @RequestHeader(value = "Tus-Resumable", required = false) String tus,
                                    HttpServletRequest request) {
        return appended(id, importId, fileName, offset, tus, request);
    }

    /** {@link #appendOverridden} for one file of an OVF import. */
    @PostMapping(path = "/{importId}/files/{fileName}", headers = "X-HTTP-Method-Override=PATCH", consumes = OFFSET_STREAM)
    @Operation(summary = "Append bytes to one file of an OVF import (tus) for clients that cannot send PATCH",
            parameters = @Parameter(in = ParameterIn.HEADER, name = "Upload-Offset", required = true))
    ResponseEntity<Void> appendFileOverridden(@PathVariable UUID id, @PathVariable String importId,
                                              @PathVariable String fileName, @RequestHeader("Upload-Offset") long offset,
                                              @RequestHeader(value = "Tus-Resumable", required = false) String tus,
                                              HttpServletRequest request) {
        return appended(id, importId, fileName, offset, tus, request);
    }

    @GetMapping("/{importId}")
    @Operation(summary = "The import: state, bytes received, the VM once imported, the problem when refused")
    ImportView get(@PathVariable UUID id, @PathVariable String importId) {
        return imports.status(id, importId);
    }

    @DeleteMapping("/{importId}")
    @Operation(summary = "Abort the import and remove its staged bytes (tus termination)")
    @PreAuthorize("hasRole('TENANT_ADMIN')")
    ResponseEntity<Void> delete(@PathVariable UUID id, @PathVariable String importId) {
        imports.abort(id, importId);
        return ResponseEntity.status(HttpStatus.NO_CONTENT).header("Tus-Resumable", TUS_VERSION).build();
    }

    private static void checkTus(String tus) {
        if (tus != null && !tus.strip().equals(TUS_VERSION)) {
            throw new VccProblemException(ProblemType.PRECONDITION_FAILED, "Tus-Resumable " + tus
                    + " is not supported; this server speaks tus " + TUS_VERSION);
        }
    }

    private static void checkBodyType(String contentType, boolean creation) {
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT).split(";")[0].strip();
        boolean ok = type.equals(OFFSET_STREAM) || (creation && (type.equals("application/octet-stream")
                || type.equals("application/x-tar") || type.equals("application/ova")));
        if (!ok) {
            throw new VccProblemException(ProblemType.UNSUPPORTED_MEDIA_TYPE, "A body is sent as "
                    + OFFSET_STREAM + " or application/octet-stream, not '" + contentType + "'");
        }
    }

    private static Supplier<InputStream> body(HttpServletRequest request) {
        return () -> {
            try {
                return request.getInputStream();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    /**
     * {@code name}, {@code keepMacs}, {@code kind}, {@code filename}, {@code deploymentOption} and {@code allowUnsigned}
     * from the query string, else from tus metadata ({@code key base64,...}).
     */
    static Map<String, String> options(String query, String metadata) {
        Map<String, String> options = new HashMap<>();
        if (metadata != null) {
            for (String pair : metadata.split(",")) {
                String[] parts = pair.strip().split(" ", 2);
                if (parts[0].isEmpty()) {
                    continue;
                }
                try {
                    options.put(parts[0], parts.length < 2 ? "" : new String(Base64.getDecoder().decode(parts[1].strip()), StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    throw new VccProblemException(ProblemType.VALIDATION, "Upload-Metadata value of '" + parts[0] + "' is not base64");
                }
            }
        }
        if (query != null) {
            UriComponentsBuilder.newInstance().query(query).build().getQueryParams().forEach((key, values) -> {
                if (!values.isEmpty() && values.get(0) != null) {
                    options.put(java.net.URLDecoder.decode(key, StandardCharsets.UTF_8),
                            java.net.URLDecoder.decode(values.get(0), StandardCharsets.UTF_8));
                }
            });
        }
        return options;
    }

    private static PackageKind kind(String value) {
        if (value == null || value.isBlank()) {
            return PackageKind.VM;
        }
        try {
            return PackageKind.valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new VccProblemException(ProblemType.VALIDATION, "kind must be one of VM, VAPP, TEMPLATE, not '" + value + "'");
        }
    }

    /** {@code true}, {@code false} or absent (false); anything else is refused rather than guessed. */
    private static boolean flag(String name, String value) {
        if (value == null || value.isBlank()) {
            return false;
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new VccProblemException(ProblemType.VALIDATION, name + " must be true or false, not '" + value + "'");
        };
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}

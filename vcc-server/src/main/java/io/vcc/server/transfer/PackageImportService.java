package io.vcc.server.transfer;

import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import io.vcc.api.transfer.PackageFileRequest;
import io.vcc.api.transfer.PackageKind;
import io.vcc.api.transfer.PackageUploadNodeApi;
import io.vcc.api.transfer.PackageUploadRequest;
import io.vcc.api.transfer.PackageUploadState;
import io.vcc.api.transfer.PackageUploadStatus;
import io.vcc.server.node.NodeGateway;
import io.vcc.server.node.NodeStreams;
import io.vcc.server.security.CurrentUser;
import io.vcc.server.security.VccPrincipal;
import io.vcc.server.vdc.VdcService;
import io.vcc.server.vdc.VdcView;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.springframework.stereotype.Service;
import org.springframework.web.util.UriUtils;
import tools.jackson.databind.json.JsonMapper;

/**
 * Imports of packages into a VDC, relayed to the node that serves the VDC, which keeps the upload's state
 * and bytes; the server keeps nothing and streams each request body straight through. The VDC must be the
 * caller's (another tenant's is not found, and so are its imports), and importing, which creates a VM,
 * takes a tenant administrator like provisioning does.
 */
@Service
class PackageImportService {

    private final VdcService vdcs;
    private final NodeGateway nodes;
    private final NodeStreams streams;

    PackageImportService(VdcService vdcs, NodeGateway nodes, NodeStreams streams) {
        this.vdcs = vdcs;
        this.nodes = nodes;
        this.streams = streams;
    }

    /**
     * @param descriptorName   the OVF descriptor's file name when the upload is one, {@code null} for an OVA
     * @param deploymentOption the package's deployment option to import, {@code null} for its default
     * @param allowUnsigned    import the package even without a manifest; only an admin may ask it (else 403)
     */
    ImportView create(UUID vdcId, long length, String name, Boolean keepMacs, PackageKind kind, String descriptorName,
                      String deploymentOption, boolean allowUnsigned) {
        VdcView vdc = vdcs.visibleVdc(vdcId);
        VccPrincipal user = CurrentUser.get();
        if (allowUnsigned && !user.isAdmin()) {
            throw new VccProblemException(ProblemType.FORBIDDEN, "Only an admin may allow a package without a manifest "
                    + "(allowUnsigned); upload one with its manifest, or ask an admin to allow unsigned packages in this VDC");
        }
        String unsignedAllowedBy = allowUnsigned ? "admin:" + user.username() : vdc.allowUnsignedPackages() ? "vdc" : null;
        PackageUploadStatus created = api(vdc).create(new PackageUploadRequest(vdc.remoteId(), length, name, keepMacs, kind,
                descriptorName, deploymentOption, unsignedAllowedBy));
        return ImportView.of(vdcId, created);
    }

    /** Starts the upload of one file of an OVF import whose descriptor is in. */
    ImportView createFile(UUID vdcId, String importId, String fileName, long length) {
        VdcView vdc = vdcs.visibleVdc(vdcId);
        return ImportView.of(vdcId, api(vdc).createFile(checkedId(importId), new PackageFileRequest(vdc.remoteId(), fileName, length)));
    }

    ImportView status(UUID vdcId, String importId) {
        VdcView vdc = vdcs.visibleVdc(vdcId);
        return ImportView.of(vdcId, api(vdc).status(checkedId(importId), vdc.remoteId()));
    }

    /**
     * Streams {@code body} to the node at {@code offset} of the import's own bytes (the OVA or the descriptor),
     * or of its file {@code fileName}. A body that breaks off (the client went away) leaves the import at what
     * the node made durable, which the next status shows.
     *
     * @param contentLength the body's length, or -1 when it comes chunked
     */
    ImportView append(UUID vdcId, String importId, String fileName, long offset, long contentLength, Supplier<InputStream> body) {
        VdcView vdc = vdcs.visibleVdc(vdcId);
        String id = checkedId(importId);
        // Also renews the node session, which a streaming request could not do halfway.
        ImportView before = ImportView.of(vdcId, api(vdc).status(id, vdc.remoteId()));
        ImportView.Progress progress = before.progress(fileName);
        if (progress.offset() != offset) {
            throw new VccProblemException(ProblemType.OFFSET_MISMATCH, (fileName == null ? "Import " + id : fileName)
                    + " continues at offset " + progress.offset() + " (of " + progress.length() + "), not at " + offset);
        }
        HttpResponse<InputStream> response;
        try {
            response = streams.upload(vdc.nodeId(), "PATCH",
                    "/node/v1/uploads/" + id + (fileName == null ? "" : "/files/" + UriUtils.encodePathSegment(fileName, StandardCharsets.UTF_8))
                            + "?vdcId=" + encode(vdc.remoteId()),
                    Map.of("Upload-Offset", Long.toString(offset), "Content-Type", "application/offset+octet-stream"),
                    body, contentLength);
        } catch (VccProblemException e) {
            throw refusalOr(vdc, id, e);
        }
        if (response.statusCode() >= 400) {
            throw refusalOr(vdc, id, NodeStreams.problem(response));
        }
        try (InputStream in = response.body()) {
            return ImportView.of(vdcId, JsonMapper.shared().readValue(in.readAllBytes(), PackageUploadStatus.class));
        } catch (IOException e) {
            throw new VccProblemException(ProblemType.NODE_UNAVAILABLE, "The node's answer broke off: " + e.getMessage(), e);
        }
    }

    /**
     * The node's refusal of the upload when it made one, else {@code failure}. A node that refuses a body halfway
     * (a descriptor it cannot import) answers before it has read the rest and then closes the connection; the JDK's
     * client can lose that answer to the close and report the node unreachable. The refusal is kept with the
     * upload, so it is read from there.
     */
    private VccProblemException refusalOr(VdcView vdc, String id, VccProblemException failure) {
        if (failure.type() != ProblemType.NODE_UNAVAILABLE && failure.type() != ProblemType.NODE_ERROR) {
            return failure;
        }
        try {
            PackageUploadStatus now = api(vdc).status(id, vdc.remoteId());
            ProblemType refused = now.state() == PackageUploadState.FAILED && now.problemType() != null
                    ? ProblemType.fromUri(URI.create(now.problemType())) : null;
            if (refused != null) {
                return new VccProblemException(refused, now.problemDetail() != null ? now.problemDetail() : failure.getMessage());
            }
        } catch (RuntimeException stillAway) {
            failure.addSuppressed(stillAway);
        }
        return failure;
    }

    void abort(UUID vdcId, String importId) {
        VdcView vdc = vdcs.visibleVdc(vdcId);
        api(vdc).abort(checkedId(importId), vdc.remoteId());
    }

    private PackageUploadNodeApi api(VdcView vdc) {
        return nodes.client(vdc.nodeId(), PackageUploadNodeApi.class);
    }

    /** Import ids are the node's UUIDs; anything else names no import. */
    private static String checkedId(String importId) {
        try {
            return UUID.fromString(importId).toString();
        } catch (IllegalArgumentException e) {
            throw VccProblemException.notFound("Import", importId);
        }
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}

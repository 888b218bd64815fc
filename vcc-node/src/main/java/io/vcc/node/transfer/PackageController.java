package io.vcc.node.transfer;

import io.vcc.node.packaging.ByteRange;
import io.vcc.node.packaging.Staging;
import io.vcc.api.node.SessionRequest;
import io.vcc.api.node.SessionResponse;
import io.vcc.api.problem.VccProblemException;
import io.vcc.api.transfer.CommittedOffset;
import io.vcc.api.transfer.PackageFile;
import io.vcc.api.transfer.PeerApi;
import io.vcc.api.transfer.PeerGrant;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * A transfer's package as peers see it (seed 002, FIG. 18–19): log in with the transfer's credentials;
 * download exported files with HTTP {@code Range} (206, {@code If-Range} against the file's strong ETag,
 * its SHA-256), each chunk-aligned range carrying the chunk's digest; or upload chunks at the committed
 * offset and ask for that offset.
 */
@RestController
@RequestMapping(PeerApi.BASE)
class PackageController {

    private static final String SENDFILE = "org.apache.tomcat.sendfile.";
    private static final ThreadLocal<ByteBuffer> DIRECT = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(512 << 10));

    private final PeerGrants grants;
    private final SourceExport export;
    private final TargetReceive target;
    private final Checkpoints checkpoints;
    private final RateLimiter limiter;
    private final TransferFaults faults;
    private final TransferShutdown shutdown;

    PackageController(PeerGrants grants, SourceExport export, TargetReceive target, Checkpoints checkpoints, RateLimiter limiter,
                      TransferFaults faults, TransferShutdown shutdown) {
        this.grants = grants;
        this.export = export;
        this.target = target;
        this.checkpoints = checkpoints;
        this.limiter = limiter;
        this.faults = faults;
        this.shutdown = shutdown;
    }

    @PostMapping(PeerApi.SESSIONS)
    @ResponseStatus(HttpStatus.CREATED)
    SessionResponse login(@PathVariable String transferId, @Valid @RequestBody SessionRequest request) {
        return grants.login(TransferController.id(transferId), request.username(), request.secret());
    }

    @GetMapping(PeerApi.FILE)
    void download(@PathVariable String transferId, @PathVariable String name,
                  @AuthenticationPrincipal PeerGrants.PeerSession session,
                  @RequestHeader(value = "Range", required = false) String range,
                  @RequestHeader(value = "If-Range", required = false) String ifRange,
                  @RequestHeader(value = PeerApi.COMMITTED, required = false) Long peerCommitted,
                  HttpServletRequest request, HttpServletResponse response) throws IOException {
        UUID id = TransferController.id(transferId);
        grants.require(session, id, PeerGrant.Role.SERVE);
        List<PackageFile> files = export.exported(id).orElseThrow(() -> VccProblemException.notFound("Package of transfer", id));
        PackageFile file = files.stream().filter(f -> f.name().equals(name)).findFirst()
                .orElseThrow(() -> VccProblemException.notFound("Package file", name));
        if (peerCommitted != null && peerCommitted >= 0) {
            checkpoints.peerCommitted(id, file, Math.min(peerCommitted, file.size()));
        }
        String etag = "\"" + file.sha256() + "\"";
        long start = 0;
        long end = file.size() - 1;
        boolean partial = false;
        // One parser for every Range this node serves: an unreadable one (several ranges, more digits than a
        // long holds) means the whole file, never an error.
        ByteRange.Outcome outcome = range != null && (ifRange == null || ifRange.equals(etag))
                ? ByteRange.of(range, file.size()) : new ByteRange.Whole();
        if (outcome instanceof ByteRange.Unsatisfiable) {
            response.setStatus(HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE.value());
            response.setHeader("Content-Range", "bytes */" + file.size());
            return;
        }
        if (outcome instanceof ByteRange.Partial part) {
            start = part.range().first();
            end = part.range().last();
            partial = true;
        }
        long length = end - start + 1;
        response.setHeader("Accept-Ranges", "bytes");
        response.setHeader("ETag", etag);
        response.setContentType("application/octet-stream");
        response.setContentLengthLong(length);
        if (partial) {
            response.setStatus(HttpStatus.PARTIAL_CONTENT.value());
            response.setHeader("Content-Range", "bytes " + start + "-" + end + "/" + file.size());
            if (start % file.chunkSize() == 0) {
                int index = (int) (start / file.chunkSize());
                if (index < file.chunks() && file.chunkLength(index) == length) {
                    response.setHeader(PeerApi.CHUNK_DIGEST, file.chunkSha256().get(index));
                }
            }
        } else {
            response.setStatus(HttpStatus.OK.value());
        }
        boolean corrupt = faults.takeCorruption();
        if (!limiter.limited() && !corrupt && Boolean.TRUE.equals(request.getAttribute(SENDFILE + "support"))) {
            // Tomcat sends the range from the page cache to the socket (sendfile) once this method returns:
            // no copy through the JVM. A node that stops closes the connection; the peer resumes from its log.
            request.setAttribute(SENDFILE + "filename", Staging.file(export.exportDir(id), name).toAbsolutePath().toString());
            request.setAttribute(SENDFILE + "start", start);
            request.setAttribute(SENDFILE + "end", end + 1);
            return;
        }
        try (FileChannel in = FileChannel.open(Staging.file(export.exportDir(id), name), StandardOpenOption.READ)) {
            OutputStream out = response.getOutputStream();
            WritableByteChannel channel = Channels.newChannel(out);
            if (!limiter.limited() && !corrupt) {
                // No sendfile (TLS): large direct buffers straight to the container, which encrypts from them; the
                // JDK's transferTo into a stream would go 8 KiB at a time.
                ByteBuffer buffer = DIRECT.get();
                long position = start;
                long left = length;
                while (left > 0) {
                    stopIfStopping();
                    buffer.clear().limit((int) Math.min(buffer.capacity(), left));
                    int n = in.read(buffer, position);
                    if (n < 0) {
                        throw new IOException(name + " ended at " + position + ", before its " + file.size() + " bytes");
                    }
                    buffer.flip();
                    response.getOutputStream().write(buffer);
                    position += n;
                    left -= n;
                }
            } else {
                ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
                long position = start;
                long left = length;
                while (left > 0) {
                    stopIfStopping();
                    buffer.clear().limit((int) Math.min(buffer.capacity(), left));
                    int n = in.read(buffer, position);
                    if (n < 0) {
                        break;
                    }
                    limiter.acquire(n);
                    if (corrupt) {
                        buffer.put(0, (byte) (buffer.get(0) ^ 0x5a));
                        corrupt = false;
                    }
                    buffer.flip();
                    while (buffer.hasRemaining()) {
                        channel.write(buffer);
                    }
                    position += n;
                    left -= n;
                }
            }
            out.flush();
        }
    }

    /** Ends a download early when the node stops: the peer sees a short body, drops the chunk in flight and resumes. */
    private void stopIfStopping() throws IOException {
        if (shutdown.stopping()) {
            throw new IOException("The node is stopping");
        }
    }

    @GetMapping(PeerApi.FILE_OFFSET)
    CommittedOffset offset(@PathVariable String transferId, @PathVariable String name,
                           @AuthenticationPrincipal PeerGrants.PeerSession session) {
        UUID id = TransferController.id(transferId);
        return target.committed(id, grants.require(session, id, PeerGrant.Role.ACCEPT), name);
    }

    @PutMapping(PeerApi.FILE)
    CommittedOffset upload(@PathVariable String transferId, @PathVariable String name, @RequestParam long offset,
                           @AuthenticationPrincipal PeerGrants.PeerSession session,
                           @RequestHeader(value = PeerApi.CHUNK_DIGEST, required = false) String digest,
                           HttpServletRequest request) throws IOException {
        UUID id = TransferController.id(transferId);
        PeerGrants.Grant grant = grants.require(session, id, PeerGrant.Role.ACCEPT);
        return target.receive(id, grant, name, offset, request.getInputStream(), request.getContentLengthLong(), digest);
    }
}

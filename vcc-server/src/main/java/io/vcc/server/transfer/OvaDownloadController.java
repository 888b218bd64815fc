package io.vcc.server.transfer;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.vcc.api.problem.VccProblemException;
import io.vcc.server.node.NodeStreams;
import io.vcc.server.vdc.VdcService;
import io.vcc.server.vdc.VdcView;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/vdcs/{id}/vms/{vmId}/ova} (and {@code /vapps/{vappId}/ova}, {@code /templates/{templateId}/ova}):
 * the VM, vApp or template as an OVA (descriptor, manifest, disks; USTAR),
 * streamed from the node through the server without being held here. The node serves it byte-stable from
 * an export it stages, so it carries a strong {@code ETag} and {@code Accept-Ranges: bytes}: one
 * {@code Range} answers 206, {@code If-Range} with an outdated tag the whole OVA, a range past the end 416.
 * The first request waits while the node exports it.
 */
@RestController
class OvaDownloadController {

    private static final Pattern SOURCE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final List<String> RELAYED = List.of(HttpHeaders.CONTENT_TYPE, HttpHeaders.CONTENT_RANGE,
            HttpHeaders.ETAG, HttpHeaders.ACCEPT_RANGES, HttpHeaders.CONTENT_DISPOSITION);

    private static final Logger log = LoggerFactory.getLogger(OvaDownloadController.class);

    private final VdcService vdcs;
    private final NodeStreams streams;

    OvaDownloadController(VdcService vdcs, NodeStreams streams) {
        this.vdcs = vdcs;
        this.streams = streams;
    }

    @GetMapping("/api/v1/vdcs/{id}/vms/{vmId}/ova")
    @Operation(summary = "Download the VM as an OVA; supports a single Range, If-Range, strong ETag", parameters = {
            @Parameter(in = ParameterIn.HEADER, name = "Range", description = "bytes=first-last, bytes=first- or bytes=-suffix"),
            @Parameter(in = ParameterIn.HEADER, name = "If-Range", description = "the ETag of the OVA the range belongs to")})
    void vm(@PathVariable UUID id, @PathVariable String vmId, @RequestHeader(value = HttpHeaders.RANGE, required = false) String range,
            @RequestHeader(value = HttpHeaders.IF_RANGE, required = false) String ifRange, HttpServletResponse response) throws IOException {
        relay(id, "vms", vmId, range, ifRange, response);
    }

    @GetMapping("/api/v1/vdcs/{id}/vapps/{vappId}/ova")
    @Operation(summary = "Download the vApp (all its VMs) as an OVA; Range, If-Range and ETag as for a VM")
    void vapp(@PathVariable UUID id, @PathVariable String vappId, @RequestHeader(value = HttpHeaders.RANGE, required = false) String range,
              @RequestHeader(value = HttpHeaders.IF_RANGE, required = false) String ifRange, HttpServletResponse response) throws IOException {
        relay(id, "vapps", vappId, range, ifRange, response);
    }

    @GetMapping("/api/v1/vdcs/{id}/templates/{templateId}/ova")
    @Operation(summary = "Download the catalog template as an OVA; Range, If-Range and ETag as for a VM")
    void template(@PathVariable UUID id, @PathVariable String templateId, @RequestHeader(value = HttpHeaders.RANGE, required = false) String range,
                  @RequestHeader(value = HttpHeaders.IF_RANGE, required = false) String ifRange, HttpServletResponse response) throws IOException {
        relay(id, "templates", templateId, range, ifRange, response);
    }

    private void relay(UUID id, String kind, String sourceId, String range, String ifRange, HttpServletResponse response) throws IOException {
        VdcView vdc = vdcs.visibleVdc(id);
        if (!SOURCE_ID.matcher(sourceId).matches()) {
            throw VccProblemException.notFound("Package source", sourceId);
        }
        Map<String, String> headers = new HashMap<>();
        if (range != null) {
            headers.put(HttpHeaders.RANGE, range);
        }
        if (ifRange != null) {
            headers.put(HttpHeaders.IF_RANGE, ifRange);
        }
        HttpResponse<InputStream> node = streams.send(vdc.nodeId(), "GET", "/node/v1/" + kind + "/" + sourceId + "/ova?vdcId="
                + PackageImportService.encode(vdc.remoteId()), headers);
        int status = node.statusCode();
        if (status != 200 && status != 206 && status != 416) {
            throw NodeStreams.problem(node);
        }
        response.setStatus(status);
        for (String header : RELAYED) {
            node.headers().firstValue(header).ifPresent(value -> response.setHeader(header, value));
        }
        node.headers().firstValueAsLong(HttpHeaders.CONTENT_LENGTH).ifPresent(response::setContentLengthLong);
        try (InputStream body = node.body()) {
            body.transferTo(response.getOutputStream());
            response.flushBuffer();
        } catch (IOException e) {
            // The client or the node went away (or the node stopped sending for the idle timeout) mid-stream; the
            // response is committed, so stop here: the client sees a short body and resumes with a Range.
            log.debug("OVA of {} {} not relayed whole: {}", kind, sourceId, e.toString());
        }
    }
}

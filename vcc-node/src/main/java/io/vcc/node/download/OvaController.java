package io.vcc.node.download;

import io.vcc.node.packaging.ByteRange;
import io.vcc.api.problem.ProblemType;
import io.vcc.support.web.ProblemResponses;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.vcc.api.transfer.PackageKind;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A VM of a VDC as an OVA (node sessions only; the server relays it): {@code Range} of one range answers
 * 206, {@code If-Range} with another entity tag the whole OVA, a range past the end 416.
 */
@RestController
class OvaController {

    static final String OVA_TYPE = "application/x-tar";

    private static final Logger log = LoggerFactory.getLogger(OvaController.class);

    private final OvaDownloads downloads;

    OvaController(OvaDownloads downloads) {
        this.downloads = downloads;
    }

    @GetMapping("/node/v1/{kind:vms|vapps|templates}/{sourceId}/ova")
    void ova(@PathVariable String kind, @PathVariable String sourceId, @RequestParam String vdcId,
             @RequestHeader(value = HttpHeaders.RANGE, required = false) String range,
             @RequestHeader(value = HttpHeaders.IF_RANGE, required = false) String ifRange,
             HttpServletResponse response) throws IOException {
        OvaDownloads.Download download = downloads.prepare(kindOf(kind), sourceId, vdcId);
        long total = download.layout().length();
        String etag = download.layout().etag();
        // If-Range with anything but the current strong tag (an old tag, a date): the whole new OVA.
        ByteRange.Outcome outcome = ifRange != null && !ifRange.strip().equals(etag)
                ? new ByteRange.Whole() : ByteRange.of(range, total);
        response.setHeader(HttpHeaders.ACCEPT_RANGES, "bytes");
        response.setHeader(HttpHeaders.ETAG, etag);
        if (outcome instanceof ByteRange.Unsatisfiable) {
            response.setHeader(HttpHeaders.CONTENT_RANGE, "bytes */" + total);
            ProblemResponses.write(response, ProblemType.RANGE_NOT_SATISFIABLE, "The OVA has " + total
                    + " bytes; range '" + range + "' is not within them");
            return;
        }
        response.setContentType(OVA_TYPE);
        response.setHeader(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + download.fileName() + "\"");
        long start = 0;
        long length = total;
        if (outcome instanceof ByteRange.Partial partial) {
            response.setStatus(HttpStatus.PARTIAL_CONTENT.value());
            response.setHeader(HttpHeaders.CONTENT_RANGE, partial.range().contentRange(total));
            start = partial.range().first();
            length = partial.range().length();
        } else {
            response.setStatus(HttpStatus.OK.value());
        }
        response.setContentLengthLong(length);
        try {
            download.layout().write(response.getOutputStream(), start, length);
        } catch (IOException e) {
            // Mostly the client going away; the response is committed, so all there is left is to stop.
            log.debug("OVA of {} {} not sent whole: {}", kind, sourceId, e.toString());
        }
    }

    static PackageKind kindOf(String collection) {
        return switch (collection) {
            case "vapps" -> PackageKind.VAPP;
            case "templates" -> PackageKind.TEMPLATE;
            default -> PackageKind.VM;
        };
    }
}

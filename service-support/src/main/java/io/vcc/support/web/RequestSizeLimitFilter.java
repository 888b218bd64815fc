package io.vcc.support.web;

import io.vcc.api.problem.ProblemType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses JSON bodies larger than the limit before anything parses them. Bulk data (package uploads) goes
 * through its own streaming endpoints with their own limits, which are not JSON. Paths below one of
 * {@code internalPaths} take up to {@code maxInternalJsonBytes}: services' messages to one another, which carry
 * a package's list of chunk digests (67 bytes per chunk); only authenticated services reach them, and the
 * body is read only after authentication.
 */
public class RequestSizeLimitFilter extends OncePerRequestFilter {

    private final long maxJsonBytes;
    private final List<String> internalPaths;
    private final long maxInternalJsonBytes;

    public RequestSizeLimitFilter(long maxJsonBytes) {
        this(maxJsonBytes, List.of(), maxJsonBytes);
    }

    public RequestSizeLimitFilter(long maxJsonBytes, List<String> internalPaths, long maxInternalJsonBytes) {
        this.maxJsonBytes = maxJsonBytes;
        this.internalPaths = List.copyOf(internalPaths);
        this.maxInternalJsonBytes = maxInternalJsonBytes;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        long maxJsonBytes = internalPaths.stream().anyMatch(path::startsWith) ? maxInternalJsonBytes : this.maxJsonBytes;
        String contentType = request.getContentType();
        boolean json = contentType != null && contentType.toLowerCase().contains("json");
        long length = request.getContentLengthLong();
        if (json && length > maxJsonBytes) {
            ProblemResponses.write(response, ProblemType.REQUEST_TOO_LARGE,
                    "The JSON body has " + length + " bytes; the limit is " + maxJsonBytes);
            return;
        }
        if (json && length < 0) {
            // Chunked JSON: count while reading, so a body without Content-Length cannot grow without bound.
            chain.doFilter(new BoundedRequest(request, maxJsonBytes), response);
            return;
        }
        chain.doFilter(request, response);
    }
}

package io.vcc.support.web;

import io.vcc.api.problem.ProblemType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses JSON bodies larger than the limit before anything parses them. Bulk data (package uploads) goes
 * through its own streaming endpoints with their own limits, which are not JSON.
 */
public class RequestSizeLimitFilter extends OncePerRequestFilter {

    private final long maxJsonBytes;

    public RequestSizeLimitFilter(long maxJsonBytes) {
        this.maxJsonBytes = maxJsonBytes;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
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

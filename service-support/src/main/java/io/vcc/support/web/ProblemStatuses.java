package io.vcc.support.web;

import io.vcc.api.problem.ProblemType;

/**
 * The problem type and a message for an error that only has an HTTP status: one the servlet container or a
 * filter answered before vcc's own code could name it.
 */
final class ProblemStatuses {

    private ProblemStatuses() {
    }

    static ProblemType typeOf(int status) {
        return switch (status) {
            case 400 -> ProblemType.MALFORMED_REQUEST;
            case 401 -> ProblemType.UNAUTHORIZED;
            case 403 -> ProblemType.FORBIDDEN;
            case 404 -> ProblemType.NOT_FOUND;
            case 405 -> ProblemType.METHOD_NOT_ALLOWED;
            case 412 -> ProblemType.PRECONDITION_FAILED;
            case 413, 414, 431 -> ProblemType.REQUEST_TOO_LARGE;
            case 415 -> ProblemType.UNSUPPORTED_MEDIA_TYPE;
            case 416 -> ProblemType.RANGE_NOT_SATISFIABLE;
            case 503 -> ProblemType.NODE_UNAVAILABLE;
            default -> status >= 500 ? ProblemType.INTERNAL : ProblemType.MALFORMED_REQUEST;
        };
    }

    static String detailOf(int status) {
        return switch (status) {
            case 400 -> "The request could not be read: check the path for characters that must be percent-encoded"
                    + " ({, }, |, spaces), and the headers for malformed values";
            case 404 -> "No resource at this path";
            case 405 -> "This method is not allowed on this path";
            case 413, 414, 431 -> "The request line, its headers or its body are larger than this service accepts";
            default -> status >= 500 ? "The service failed to answer this request; it has been logged"
                    : "The request was refused (HTTP " + status + ")";
        };
    }
}

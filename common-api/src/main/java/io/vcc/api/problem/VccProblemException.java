package io.vcc.api.problem;

/**
 * A failure with a stable problem type and a message a person can act on. Thrown anywhere in a service,
 * rendered as {@code application/problem+json} at the edge.
 */
public class VccProblemException extends RuntimeException {

    private final ProblemType type;

    public VccProblemException(ProblemType type, String detail) {
        super(detail);
        this.type = type;
    }

    public VccProblemException(ProblemType type, String detail, Throwable cause) {
        super(detail, cause);
        this.type = type;
    }

    public ProblemType type() {
        return type;
    }

    public static VccProblemException notFound(String what, Object id) {
        return new VccProblemException(ProblemType.NOT_FOUND, what + " " + id + " does not exist");
    }
}

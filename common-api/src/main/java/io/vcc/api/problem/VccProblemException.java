package io.vcc.api.problem;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A failure with a stable problem type and a message a person can act on. Thrown anywhere in a service,
 * rendered as {@code application/problem+json} at the edge.
 */
public class VccProblemException extends RuntimeException {

    private final ProblemType type;
    private final Map<String, String> errors;

    public VccProblemException(ProblemType type, String detail) {
        super(detail);
        this.type = type;
        this.errors = Map.of();
    }

    public VccProblemException(ProblemType type, String detail, Throwable cause) {
        super(detail, cause);
        this.type = type;
        this.errors = Map.of();
    }

    private VccProblemException(String detail, Map<String, String> errors) {
        super(detail);
        this.type = ProblemType.VALIDATION;
        this.errors = Collections.unmodifiableMap(errors);
    }

    /**
     * A validation problem found after binding (e.g. against stored settings), naming the fields as bean
     * validation does ({@code errors}: field path to message), so that both kinds read the same.
     */
    public static VccProblemException invalidFields(Map<String, String> errors) {
        Map<String, String> ordered = new LinkedHashMap<>(errors);
        StringBuilder detail = new StringBuilder();
        ordered.forEach((field, message) -> detail.append(detail.isEmpty() ? "" : "; ").append(field).append(": ").append(message));
        return new VccProblemException(detail.toString(), ordered); // in the caller's order
    }

    public ProblemType type() {
        return type;
    }

    /** Field path to message for a validation problem; empty otherwise. */
    public Map<String, String> errors() {
        return errors;
    }

    public static VccProblemException notFound(String what, Object id) {
        return new VccProblemException(ProblemType.NOT_FOUND, what + " " + id + " does not exist");
    }
}

package io.vcc.support.web;

import java.util.Arrays;
import java.util.stream.Collectors;
import org.springframework.http.converter.HttpMessageNotReadableException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/** Says what is wrong with a request body in terms of its fields, without echoing parser internals. */
final class UnreadableBody {

    private UnreadableBody() {
    }

    static String explain(HttpMessageNotReadableException e) {
        Throwable cause = e.getMostSpecificCause();
        if (cause instanceof InvalidFormatException invalid) {
            Class<?> target = invalid.getTargetType();
            String allowed = target != null && target.isEnum()
                    ? "; allowed: " + Arrays.stream(target.getEnumConstants()).map(String::valueOf).collect(Collectors.joining(", "))
                    : "";
            return "Field '" + field(invalid) + "' cannot be '" + invalid.getValue() + "'" + allowed;
        }
        if (cause instanceof UnrecognizedPropertyException unknown) {
            return "The body has a field this API does not know: '" + unknown.getPropertyName() + "'";
        }
        if (cause instanceof MismatchedInputException mismatched && !mismatched.getPath().isEmpty()) {
            return "Field '" + field(mismatched) + "' has the wrong type or is missing a value";
        }
        if (cause instanceof JacksonException json) {
            return "The body is not valid JSON: " + json.getOriginalMessage();
        }
        return "The request needs a JSON body";
    }

    private static String field(JacksonException e) {
        return e.getPath().stream()
                .map(reference -> reference.getPropertyName() != null ? reference.getPropertyName() : "[" + reference.getIndex() + "]")
                .collect(Collectors.joining("."));
    }
}

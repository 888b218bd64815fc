package io.vcc.support.web;

import org.springframework.http.converter.HttpMessageNotReadableException;

/** Says what is wrong with a request body a person sent, without echoing internals. */
final class UnreadableBody {

    private UnreadableBody() {
    }

    static String explain(HttpMessageNotReadableException e) {
        Throwable cause = e.getMostSpecificCause();
        String message = cause.getMessage() == null ? "" : cause.getMessage();
        String className = cause.getClass().getSimpleName();
        if (className.contains("InvalidFormat") || message.contains("not one of the values accepted")) {
            int accepted = message.indexOf("not one of the values accepted");
            String hint = accepted >= 0 ? message.substring(accepted).split("\n")[0] : "";
            return "A field has a value that is not allowed" + (hint.isEmpty() ? "" : ": " + hint);
        }
        if (message.startsWith("Required request body is missing") || e.getMessage() != null && e.getMessage().startsWith("Required request body")) {
            return "The request needs a JSON body";
        }
        if (className.contains("UnrecognizedProperty")) {
            return "The body has a field this API does not know: " + message.split("\n")[0];
        }
        return "The body is not valid JSON for this request: " + message.split("\n")[0];
    }
}

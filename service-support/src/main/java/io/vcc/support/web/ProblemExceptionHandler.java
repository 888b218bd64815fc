package io.vcc.support.web;

import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.catalina.connector.ClientAbortException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Turns every failure into {@code application/problem+json} with one of our stable types, so a script can
 * tell a validation error from a conflict without reading prose.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
public class ProblemExceptionHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemExceptionHandler.class);

    @ExceptionHandler(VccProblemException.class)
    ResponseEntity<ProblemDetail> problem(VccProblemException e) {
        ProblemDetail problem = Problems.of(e.type(), e.getMessage());
        if (!e.errors().isEmpty()) {
            problem.setProperty("errors", e.errors());
        }
        return respond(problem);
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ProblemDetail> typeMismatch(MethodArgumentTypeMismatchException e) {
        return respond(Problems.of(ProblemType.MALFORMED_REQUEST,
                "'" + e.getValue() + "' is not a valid value for " + e.getName()));
    }

    @ExceptionHandler(DataIntegrityViolationException.class)
    ResponseEntity<ProblemDetail> integrity(DataIntegrityViolationException e) {
        log.debug("integrity violation", e);
        return respond(Problems.of(ProblemType.CONFLICT,
                "The request conflicts with existing data (a name already used, or an object still in use)"));
    }

    @ExceptionHandler(OptimisticLockingFailureException.class)
    ResponseEntity<ProblemDetail> concurrentUpdate(OptimisticLockingFailureException e) {
        return respond(Problems.of(ProblemType.CONFLICT, "The object was changed concurrently; read it again and retry"));
    }

    @ExceptionHandler(AccessDeniedException.class)
    ResponseEntity<ProblemDetail> denied(AccessDeniedException e) {
        return respond(Problems.of(ProblemType.FORBIDDEN, ProblemSecurityHandlers.deniedMessage(e)));
    }

    @ExceptionHandler(AuthenticationException.class)
    ResponseEntity<ProblemDetail> unauthenticated(AuthenticationException e) {
        return respond(Problems.of(ProblemType.UNAUTHORIZED, "Valid credentials are required"));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        if (e instanceof ClientAbortException) {
            // The client of this request went away mid-request (the sender of a cancelled transfer, a closed
            // browser): nothing is wrong here, and nobody is left to answer. Only Tomcat's own exception for this
            // connection: a reset on a connection we made ourselves is a failure to report.
            log.debug("Client went away: {}", e.toString());
            return null;
        }
        log.error("Unhandled error", e);
        return respond(Problems.of(ProblemType.INTERNAL, "An internal error occurred; the server log has the details"));
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException e, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        Map<String, String> fields = new LinkedHashMap<>();
        e.getBindingResult().getFieldErrors().forEach(error ->
                fields.merge(error.getField(), error.getDefaultMessage(), (a, b) -> a + "; " + b));
        e.getBindingResult().getGlobalErrors().forEach(error -> fields.put(error.getObjectName(), error.getDefaultMessage()));
        ProblemDetail problem = Problems.of(ProblemType.VALIDATION, "The request has invalid fields: " + String.join(", ", fields.keySet()));
        problem.setProperty("errors", fields);
        return new ResponseEntity<>(problem, HttpStatusCode.valueOf(problem.getStatus()));
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException e, HttpHeaders headers,
                                                                            HttpStatusCode status, WebRequest request) {
        Map<String, String> fields = new LinkedHashMap<>();
        e.getParameterValidationResults().forEach(result -> fields.put(
                result.getMethodParameter().getParameterName(),
                String.join("; ", result.getResolvableErrors().stream().map(err -> err.getDefaultMessage()).toList())));
        ProblemDetail problem = Problems.of(ProblemType.VALIDATION, "The request has invalid parameters: " + String.join(", ", fields.keySet()));
        problem.setProperty("errors", fields);
        return new ResponseEntity<>(problem, HttpStatusCode.valueOf(problem.getStatus()));
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        return new ResponseEntity<>(Problems.of(ProblemType.MALFORMED_REQUEST, UnreadableBody.explain(e)), HttpStatusCode.valueOf(400));
    }

    @Override
    protected ResponseEntity<Object> handleNoResourceFoundException(NoResourceFoundException e, HttpHeaders headers,
                                                                    HttpStatusCode status, WebRequest request) {
        return new ResponseEntity<>(Problems.of(ProblemType.NOT_FOUND, "No such resource: /" + e.getResourcePath()), HttpStatusCode.valueOf(404));
    }

    @Override
    protected ResponseEntity<Object> handleHttpRequestMethodNotSupported(HttpRequestMethodNotSupportedException e, HttpHeaders headers,
                                                                         HttpStatusCode status, WebRequest request) {
        return new ResponseEntity<>(Problems.of(ProblemType.METHOD_NOT_ALLOWED,
                e.getMethod() + " is not supported here; use " + String.join(", ", List.of(e.getSupportedMethods() == null ? new String[0] : e.getSupportedMethods()))),
                HttpStatusCode.valueOf(405));
    }

    @Override
    protected ResponseEntity<Object> handleHttpMediaTypeNotSupported(HttpMediaTypeNotSupportedException e, HttpHeaders headers,
                                                                     HttpStatusCode status, WebRequest request) {
        return new ResponseEntity<>(Problems.of(ProblemType.UNSUPPORTED_MEDIA_TYPE,
                "Content type " + e.getContentType() + " is not supported; send application/json"), HttpStatusCode.valueOf(415));
    }

    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception e, Object body, HttpHeaders headers,
                                                             HttpStatusCode status, WebRequest request) {
        // Spring's own MVC exceptions: keep their status, give them our type so no answer lacks one.
        if (body instanceof ProblemDetail problem && (problem.getType() == null || problem.getType().toString().equals("about:blank"))) {
            ProblemType type = status.value() == 404 ? ProblemType.NOT_FOUND
                    : status.is4xxClientError() ? ProblemType.MALFORMED_REQUEST : ProblemType.INTERNAL;
            problem.setType(type.uri());
        }
        return super.handleExceptionInternal(e, body, headers, status, request);
    }

    private static ResponseEntity<ProblemDetail> respond(ProblemDetail problem) {
        return ResponseEntity.status(problem.getStatus()).body(problem);
    }
}

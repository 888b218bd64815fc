package io.vcc.server.console;

import io.vcc.server.security.ConsoleSessions;
import io.vcc.support.tls.TlsContexts;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The console's way to the operator API: every page reads and acts through the API itself, over loopback HTTP
 * with the API token of the user's console session. So the console applies exactly the API's validation,
 * roles and tenant scope (another tenant's id is a 404 here as there), and shows the API's own problems.
 */
@Component
class ConsoleApi {

    private static final Logger log = LoggerFactory.getLogger(ConsoleApi.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final JsonMapper JSON = JsonMapper.shared();

    private final HttpClient http;

    ConsoleApi(TlsContexts tls) {
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
        if (tls.enabled()) {
            builder.sslContext(tls.sslContext());
        }
        this.http = builder.build();
    }

    /** What the API answered: its status, its JSON body (maps and lists) and, for a problem, its detail and field errors. */
    record Answer(int status, Object body, String location) {

        boolean ok() {
            return status < 300;
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> problem() {
            return !ok() && body instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
        }

        /** The problem's title and detail ("Conflict: VM x is running"), for a reader rather than a program. */
        String detail() {
            Object title = problem().get("title");
            Object detail = problem().get("detail");
            if (detail == null) {
                return title != null ? title.toString() : ok() ? null : "The request failed (HTTP " + status + ")";
            }
            return title == null || detail.toString().startsWith(title.toString()) ? detail.toString() : title + ": " + detail;
        }

        @SuppressWarnings("unchecked")
        Map<String, String> errors() {
            return problem().get("errors") instanceof Map<?, ?> errors ? (Map<String, String>) errors : Map.of();
        }
    }

    /** The answer to a GET that must succeed; a problem (404 for another tenant's id) becomes {@link ApiProblem}. */
    Object get(HttpServletRequest request, String path) {
        Answer answer = call(request, "GET", path, null);
        if (!answer.ok()) {
            throw new ApiProblem(answer);
        }
        return answer.body();
    }

    /** A list read that shows nothing when the role may not read it (a tenant's user and the node list). */
    List<?> listOrEmpty(HttpServletRequest request, String path) {
        Answer answer = call(request, "GET", path, null);
        if (answer.status() == 403) {
            return List.of();
        }
        if (!answer.ok()) {
            throw new ApiProblem(answer);
        }
        return (List<?>) answer.body();
    }

    Answer call(HttpServletRequest request, String method, String path, Object json) {
        HttpRequest.Builder builder = requestTo(request, path)
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(json)));
        if (json != null) {
            builder.header("Content-Type", "application/json");
        }
        try {
            HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            String body = response.body();
            Object parsed = body == null || body.isBlank() || !response.headers().firstValue("Content-Type").orElse("").contains("json")
                    ? null : JsonObject.wrap(JSON.readValue(body, Object.class));
            if (response.statusCode() == 401) {
                log.info("The API refused the console session's token for {} {}: {}", method, path, body);
            }
            return new Answer(response.statusCode(), parsed, response.headers().firstValue("Location").orElse(null));
        } catch (IOException e) {
            return new Answer(503, Map.of("detail", "The API did not answer: " + e.getMessage()), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(503, Map.of("detail", "Interrupted"), null);
        }
    }

    /** A streamed GET (an OVA download), headers passed through. */
    HttpResponse<InputStream> stream(HttpServletRequest request, String path, Map<String, String> headers) throws IOException {
        HttpRequest.Builder builder = requestTo(request, path).GET();
        headers.forEach(builder::header);
        try {
            return http.send(builder.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private HttpRequest.Builder requestTo(HttpServletRequest request, String path) {
        String token = ConsoleSessions.apiToken(request.getSession(false));
        if (token == null) {
            throw new ApiProblem(new Answer(401, Map.of("detail", "Log in again: this session has no API token"), null));
        }
        // The connector the page came in on: the same server, with the same TLS.
        URI base = URI.create((request.isSecure() ? "https" : "http") + "://localhost:" + request.getLocalPort());
        return HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT)
                .header("Authorization", "Bearer " + token).header("Accept", "application/json");
    }

    /** An API problem a page cannot show beside a field: the console answers with the API's status. */
    static final class ApiProblem extends RuntimeException {

        private final transient Answer answer;

        ApiProblem(Answer answer) {
            super(answer.detail());
            this.answer = answer;
        }

        Answer answer() {
            return answer;
        }
    }
}

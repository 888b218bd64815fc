package io.vcc.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A script's view of the operator API: HTTP or HTTPS with JSON, as curl would send it. */
public final class Api {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String baseUrl;
    private final String authorization;
    private final HttpClient http;

    private Api(String baseUrl, String authorization) {
        this(baseUrl, authorization, HTTP);
    }

    private Api(String baseUrl, String authorization, HttpClient http) {
        this.baseUrl = baseUrl;
        this.authorization = authorization;
        this.http = http;
    }

    /** The same caller over HTTPS, trusting what {@code ssl} trusts (as {@code curl --cacert} does). */
    public Api trusting(javax.net.ssl.SSLContext ssl) {
        return new Api(baseUrl, authorization, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).sslContext(ssl).build());
    }

    public static Api basic(String baseUrl, String user, String password) {
        return new Api(baseUrl, "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }

    public static Api bearer(String baseUrl, String token) {
        return new Api(baseUrl, "Bearer " + token);
    }

    static Api anonymous(String baseUrl) {
        return new Api(baseUrl, null);
    }

    public Response get(String path) {
        return send("GET", path, null, null);
    }

    public Response post(String path, String json) {
        return send("POST", path, json, "application/json");
    }

    public Response delete(String path) {
        return send("DELETE", path, null, null);
    }

    // ---- fixtures an admin sets up -----------------------------------------------------------------

    /** A tenant with a TENANT_ADMIN user {@code <name>-admin}, password {@code <name>-password-1}; its id. */
    String createTenantWithAdmin(String name) {
        String tenant = post("/api/v1/tenants", "{\"name\":\"" + name + "\"}").text("id");
        Response user = post("/api/v1/tenants/" + tenant + "/users", "{\"username\":\"" + name + "-admin\",\"password\":\""
                + name + "-password-1\",\"role\":\"TENANT_ADMIN\"}");
        if (user.status() != 201) {
            throw new IllegalStateException("creating the admin of tenant " + name + ": " + user);
        }
        return tenant;
    }

    /** The tenant's own API client, as created by {@link #createTenantWithAdmin}. */
    Api asTenantAdmin(String name) {
        return new Api(baseUrl, basic(baseUrl, name + "-admin", name + "-password-1").authorization, http);
    }

    /** A VDC of the tenant in the cloud named {@code cloudName} (its node's name), 64 CPUs, 64 GiB; its id. */
    String createVdc(String tenant, String cloudName, String name, long storageGb) {
        String cloud = null;
        for (JsonNode each : get("/api/v1/clouds").json()) {
            if (each.path("name").asString().equals(cloudName)) {
                cloud = each.path("id").asString();
            }
        }
        Response vdc = post("/api/v1/vdcs", "{\"tenantId\":\"" + tenant + "\",\"cloudId\":\"" + cloud + "\",\"name\":\"" + name
                + "\",\"cpuQuota\":64,\"memoryMbQuota\":65536,\"storageGbQuota\":" + storageGb + "}");
        if (vdc.status() != 201) {
            throw new IllegalStateException("creating VDC " + name + " in " + cloudName + ": " + vdc);
        }
        return vdc.text("id");
    }

    /** A token for a node to register with, under {@code note}. */
    String registrationToken(String note) {
        return post("/api/v1/node-registrations", "{\"note\":\"" + note + "\"}").created().path("token").asString();
    }

    // ---- looking up and waiting --------------------------------------------------------------------

    /** The id of the cloud named {@code name} (its node's name). */
    String cloudId(String name) {
        for (JsonNode cloud : get("/api/v1/clouds").json()) {
            if (cloud.path("name").asString().equals(name)) {
                return cloud.path("id").asString();
            }
        }
        throw new AssertionError("no cloud " + name);
    }

    /**
     * The operation once it has ended (succeeded, failed or been cancelled), polled every {@code poll} for at most
     * {@code atMost}; a poll that fails (a server restarting) is tried again.
     */
    JsonNode awaitOperationEnd(String id, Duration atMost, Duration poll) {
        return await().atMost(atMost).pollInterval(poll).ignoreExceptions()
                .until(() -> get("/api/v1/operations/" + id).json(), op -> op.path("state").asString().matches("SUCCEEDED|FAILED|CANCELLED"));
    }

    /** Reads a server-sent event stream line by line on a daemon thread until the server closes it. */
    void stream(String path, Consumer<String> lines) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).header("Accept", "text/event-stream");
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        Thread reader = new Thread(() -> {
            try {
                http.send(request.build(), HttpResponse.BodyHandlers.ofLines()).body().forEach(lines);
            } catch (IOException | UncheckedIOException e) {
                // the stream ended with the server
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "sse " + path);
        reader.setDaemon(true);
        reader.start();
    }

    public Response send(String method, String path, String body, String contentType) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), response.body());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public record Response(int status, String contentType, String body) {

        public JsonNode json() {
            return JsonMapper.shared().readTree(body);
        }

        /** The body of a 201 Created; anything else fails the test. */
        public JsonNode created() {
            assertThat(status).as(toString()).isEqualTo(201);
            return json();
        }

        public String problemType() {
            return json().path("type").asString("");
        }

        public String text(String field) {
            return json().path(field).asString(null);
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }
}

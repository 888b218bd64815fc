package io.vcc.node.transfer;

import io.vcc.api.node.SessionRequest;
import io.vcc.api.node.SessionResponse;
import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import io.vcc.api.transfer.CommittedOffset;
import io.vcc.api.transfer.PeerApi;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * This node's calls to a peer node for one transfer: logs in with the transfer's credentials
 * ({@code POST /node/v1/packages/{id}/sessions}), keeps the session and logs in again on 401 (the peer
 * restarted). The small calls (the session, committed offsets) go through the JDK's {@link HttpClient}; a
 * file's bytes through {@link PeerUploads} and {@link PeerDownloads}, which copy less.
 */
final class PeerClient {

    private static final JsonMapper JSON = JsonMapper.shared();

    private final HttpClient http;
    private final PeerUploads uploads;
    private final PeerDownloads downloads;
    private final InetSocketAddress proxy;
    private final Duration connectTimeout;
    private final String base;
    private final UUID transferId;
    private final String username;
    private final String secret;
    private final Duration readTimeout;
    private volatile String token;

    PeerClient(PeerUploads uploads, PeerDownloads downloads, String peerBaseUrl, String proxy, UUID transferId, String username,
               String secret, Duration connectTimeout, Duration readTimeout) {
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(connectTimeout).version(HttpClient.Version.HTTP_1_1);
        javax.net.ssl.SSLContext ssl = uploads.jdkContext();
        if (ssl != null) {
            if (!peerBaseUrl.regionMatches(true, 0, "https://", 0, 8)) {
                // the session call carries the transfer's credentials: never in the clear
                throw new VccProblemException(ProblemType.VALIDATION, "TLS is on: the peer at " + peerBaseUrl + " is not https");
            }
            builder.sslContext(ssl);
        }
        if (proxy != null && !proxy.isBlank()) {
            URI uri = URI.create(proxy.contains("://") ? proxy : "http://" + proxy);
            this.proxy = new InetSocketAddress(uri.getHost(), uri.getPort() < 0 ? 80 : uri.getPort());
            builder.proxy(ProxySelector.of(this.proxy));
        } else {
            this.proxy = null;
        }
        this.http = builder.build();
        this.uploads = uploads;
        this.downloads = downloads;
        this.connectTimeout = connectTimeout;
        this.base = PeerApi.base(peerBaseUrl, transferId);
        this.transferId = transferId;
        this.username = username;
        this.secret = secret;
        this.readTimeout = readTimeout;
    }

    URI fileUri(String name) {
        return URI.create(base + PeerApi.file(name));
    }

    /** Sends a request with the session, logging in first or again on 401. */
    <T> HttpResponse<T> send(Supplier<HttpRequest.Builder> request, HttpResponse.BodyHandler<T> handler) throws IOException {
        for (int attempt = 0; ; attempt++) {
            String current = token != null ? token : login();
            HttpRequest built = request.get().timeout(readTimeout).header("Authorization", "Bearer " + current).build();
            HttpResponse<T> response;
            try {
                response = http.send(built, handler);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted");
            }
            if (response.statusCode() == 401 && attempt == 0) {
                discard(response);
                token = null;
                continue;
            }
            return response;
        }
    }

    /**
     * Starts uploading {@code length} bytes of {@code path} from {@code offset} as the peer's file {@code name}
     * from that offset, with the session. There is no overall timeout: the caller watches the upload's
     * progress instead. A 401 comes back as it is: call {@link #forgetSession()} and upload again.
     */
    PeerUploads.Upload upload(String name, Path path, long offset, long length, int chunkSize, LongConsumer sent) throws IOException {
        String current = token != null ? token : login();
        return uploads.start(URI.create(fileUri(name) + "?offset=" + offset), proxy, "Bearer " + current, path, offset, length,
                chunkSize, connectTimeout, sent);
    }

    /**
     * Starts downloading bytes {@code offset} to {@code end} (exclusive) of the peer's file {@code name}, if it
     * is still the file with {@code etag}, with the session. A 401 comes back as it is: call
     * {@link #forgetSession()} and ask again.
     */
    PeerDownloads.Download download(String name, long offset, long end, String etag) throws IOException {
        String current = token != null ? token : login();
        return downloads.start(fileUri(name), proxy, "Bearer " + current, Map.of(
                "Range", "bytes=" + offset + "-" + (end - 1),
                "If-Range", "\"" + etag + "\"",
                PeerApi.COMMITTED, Long.toString(offset)), connectTimeout, readTimeout);
    }

    void forgetSession() {
        token = null;
    }

    CommittedOffset committedOffset(String name) throws IOException {
        HttpResponse<InputStream> response = send(() -> HttpRequest.newBuilder(URI.create(base + PeerApi.fileOffset(name))).GET(),
                HttpResponse.BodyHandlers.ofInputStream());
        JsonNode body = json(response);
        return new CommittedOffset(body.path("file").asString(name), body.path("committedOffset").asLong(), body.path("size").asLong());
    }

    private String login() throws IOException {
        byte[] body = JSON.writeValueAsBytes(new SessionRequest(username, secret));
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + PeerApi.SESSIONS)).timeout(readTimeout)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            SessionResponse session = JSON.treeToValue(json(response), SessionResponse.class);
            token = session.token();
            return token;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted");
        }
    }

    /** The body as JSON on success; otherwise the peer's problem, with its type. */
    static JsonNode json(HttpResponse<InputStream> response) throws IOException {
        try (InputStream in = response.body()) {
            return json(response.statusCode(), in.readNBytes(1 << 20));
        }
    }

    static JsonNode json(int status, byte[] body) {
        if (status >= 300) {
            throw problem(status, body);
        }
        return JSON.readTree(body);
    }

    static VccProblemException problem(int status, byte[] body) {
        ProblemType type = null;
        String detail = null;
        try {
            JsonNode json = JSON.readTree(body);
            type = ProblemType.fromUri(URI.create(json.path("type").asString("")));
            detail = json.path("detail").asString(null);
        } catch (RuntimeException notJson) {
            // not one of ours
        }
        if (type == null) {
            type = status >= 500 ? ProblemType.NODE_UNAVAILABLE : status == 404 ? ProblemType.NOT_FOUND : ProblemType.NODE_ERROR;
        }
        return new VccProblemException(type, detail != null ? detail : "Peer answered HTTP " + status);
    }

    private static void discard(HttpResponse<?> response) {
        if (response.body() instanceof InputStream in) {
            try (in) {
                in.transferTo(java.io.OutputStream.nullOutputStream());
            } catch (IOException ignored) {
                // the connection is dropped instead
            }
        }
    }

    UUID transferId() {
        return transferId;
    }
}

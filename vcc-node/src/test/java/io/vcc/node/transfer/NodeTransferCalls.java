package io.vcc.node.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import io.vcc.node.core.identity.NodeIdentities;
import io.vcc.node.core.identity.NodeIdentity;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;
import org.springframework.security.crypto.password.PasswordEncoder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Calls a node's transfer API over real HTTP as the server does, with a node session of its own. */
final class NodeTransferCalls {

    static final JsonMapper JSON = JsonMapper.shared();

    private final HttpClient http = HttpClient.newHttpClient();
    private final int port;
    private String session;

    NodeTransferCalls(int port, NodeIdentities identities, PasswordEncoder passwordEncoder) throws Exception {
        this.port = port;
        UUID nodeId = UUID.randomUUID();
        identities.save(NodeIdentity.registered(nodeId, "node-" + nodeId, passwordEncoder.encode("the-secret"),
                "http://server.invalid", Instant.now()));
        HttpResponse<String> login = call("POST", "/node/v1/sessions", "{\"username\":\"node-" + nodeId + "\",\"secret\":\"the-secret\"}");
        session = JSON.readTree(login.body()).path("token").asString();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** Starts or asks after a job as the server does (the same PUT again) until it is no longer running; its last status. */
    JsonNode finished(String path, String body) throws Exception {
        for (int i = 0; i < 1200; i++) {
            HttpResponse<String> response = call("PUT", path, body);
            assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
            JsonNode status = JSON.readTree(response.body());
            if (!status.path("state").asString().equals("RUNNING")) {
                return status;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(path + " still running");
    }

    /** As {@link #finished}, and the job must have succeeded. */
    JsonNode job(String path, String body) throws Exception {
        JsonNode status = finished(path, body);
        String text = status.toString();
        assertThat(status.path("state").asString()).as(path + ": " + text.substring(0, Math.min(2000, text.length())))
                .isEqualTo("DONE");
        return status;
    }

    HttpResponse<String> call(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + path))
                .method(method, HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json");
        if (session != null) {
            request.header("Authorization", "Bearer " + session);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The SHA-256 of the file's first {@code length} bytes (zeros past its end, as a thin file reads). */
    static String sha256(Path file, long length) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
            long position = 0;
            while (position < length) {
                buffer.clear().limit((int) Math.min(buffer.capacity(), length - position));
                int n = in.read(buffer, position);
                if (n < 0) {
                    break;
                }
                buffer.flip();
                digest.update(buffer);
                position += n;
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}

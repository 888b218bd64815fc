package io.vcc.node.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Downloads through Netty from a real HTTP server on loopback: the bytes, the answer to a failure, back-pressure, a cut. */
class PeerDownloadsTest {

    private final PeerConnections connections = new PeerConnections(new PeerTls(io.vcc.support.tls.TlsContexts.disabled()));
    private final PeerDownloads downloads = new PeerDownloads(connections);
    private final byte[] content = new byte[32 << 20];
    private final AtomicLong written = new AtomicLong();
    private final AtomicReference<String> range = new AtomicReference<>();
    private HttpServer server;

    @BeforeEach
    void setUp() throws IOException {
        new Random(11).nextBytes(content);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/file", exchange -> {
            range.set(exchange.getRequestHeaders().getFirst("Range"));
            int from = Integer.parseInt(range.get().replaceAll("bytes=(\\d+)-.*", "$1"));
            exchange.sendResponseHeaders(206, content.length - from);
            try (OutputStream out = exchange.getResponseBody()) {
                for (int at = from; at < content.length; at += 1 << 16) {
                    int n = Math.min(1 << 16, content.length - at);
                    out.write(content, at, n);
                    written.addAndGet(n);
                }
            }
        });
        server.createContext("/missing", exchange -> {
            byte[] problem = "{\"type\":\"urn:vcc:problem:not-found\",\"detail\":\"no such file\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(404, problem.length);
            exchange.getResponseBody().write(problem);
            exchange.close();
        });
        server.createContext("/cut", exchange -> {
            exchange.sendResponseHeaders(206, content.length);
            exchange.getResponseBody().write(content, 0, 1 << 20);
            exchange.getResponseBody().flush();
            // a handler that fails mid-body makes the server drop the connection
            throw new IOException("cut");
        });
        server.start();
    }

    @AfterEach
    void tearDown() {
        server.stop(0);
        connections.destroy();
    }

    @Test
    void readsTheRangeItAskedFor() throws Exception {
        try (PeerDownloads.Download download = start("/file", Map.of("Range", "bytes=1000-"))) {
            assertThat(download.head().status()).isEqualTo(206);
            assertThat(readAll(download)).isEqualTo(Arrays.copyOfRange(content, 1000, content.length));
        }
        assertThat(range.get()).isEqualTo("bytes=1000-");
    }

    @Test
    void aFailureAnswersItsStatusAndBody() throws Exception {
        try (PeerDownloads.Download download = start("/missing", Map.of())) {
            PeerDownloads.Head head = download.head();
            assertThat(head.status()).isEqualTo(404);
            assertThat(new String(head.errorBody(), StandardCharsets.UTF_8)).contains("no such file");
        }
    }

    @Test
    void theSocketIsReadOnlyAsFastAsTheBodyIsTaken() throws Exception {
        try (PeerDownloads.Download download = start("/file", Map.of("Range", "bytes=0-"))) {
            assertThat(download.head().status()).isEqualTo(206);
            TimeUnit.MILLISECONDS.sleep(500);
            // 4 MiB wait in this JVM at most, plus what the sockets hold: far from the 32 MiB body.
            assertThat(written.get()).as("bytes the server could write while nothing was taken").isLessThan(content.length);
            assertThat(readAll(download)).isEqualTo(content);
        }
    }

    @Test
    void aCutEndsTheBodyWithAnError() throws Exception {
        try (PeerDownloads.Download download = start("/cut", Map.of())) {
            assertThat(download.head().status()).isEqualTo(206);
            assertThatThrownBy(() -> readAll(download)).isInstanceOf(IOException.class);
        }
    }

    private PeerDownloads.Download start(String path, Map<String, String> headers) {
        return downloads.start(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path), null, "Bearer token", headers,
                Duration.ofSeconds(2), Duration.ofSeconds(10));
    }

    private static byte[] readAll(ChunkPipeline.Source source) throws IOException {
        ByteBuffer all = ByteBuffer.allocate(64 << 20);
        ByteBuffer into = ByteBuffer.allocateDirect(1 << 20);
        while (source.read(into.clear()) >= 0) {
            all.put(into.flip());
        }
        return Arrays.copyOf(all.array(), all.position());
    }
}

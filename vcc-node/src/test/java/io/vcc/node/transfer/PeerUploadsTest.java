package io.vcc.node.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

/** Uploads with sendfile to a real HTTP server on loopback: the bytes, the headers, the fault injection, pacing and giving up. */
class PeerUploadsTest {

    private static final int CHUNK = 3 << 20;

    @TempDir
    Path dir;

    private final TransferFaults faults = new TransferFaults();
    private HttpServer server;
    private final PeerConnections connections = new PeerConnections(new PeerTls(io.vcc.support.tls.TlsContexts.disabled()));
    private PeerUploads uploads;
    private Path file;
    private byte[] content;
    private final CompletableFuture<Received> received = new CompletableFuture<>();

    record Received(String method, String target, String authorization, byte[] body) {
    }

    @BeforeEach
    void setUp() throws IOException {
        content = new byte[10 << 20];
        new Random(7).nextBytes(content);
        file = Files.write(dir.resolve("disk-0.img"), content);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                byte[] body = in.readAllBytes();
                received.complete(new Received(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
                        exchange.getRequestHeaders().getFirst("Authorization"), body));
                answer(exchange, 200, "{\"committedOffset\":" + body.length + "}");
            }
        });
        server.start();
        uploads = uploads(0);
    }

    @AfterEach
    void tearDown() {
        server.stop(0);
        connections.destroy();
    }

    @Test
    void sendsTheRangeOfTheFileAsOnePut() throws Exception {
        long offset = CHUNK;
        long length = content.length - offset;
        AtomicLong sent = new AtomicLong();

        PeerUploads.Answer answer = upload(offset, length, sent).answer().get(30, TimeUnit.SECONDS);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(new String(answer.body(), StandardCharsets.UTF_8)).isEqualTo("{\"committedOffset\":" + length + "}");
        Received got = received.get(5, TimeUnit.SECONDS);
        assertThat(got.method()).isEqualTo("PUT");
        assertThat(got.target()).isEqualTo("/node/v1/packages/t/files/disk-0.img?offset=" + offset);
        assertThat(got.authorization()).isEqualTo("Bearer token");
        assertThat(got.body()).isEqualTo(Arrays.copyOfRange(content, (int) offset, content.length));
        assertThat(sent).hasValue(length);
    }

    @Test
    void aCorruptionFlipsTheFirstByteOfTheNextChunkOnly() throws Exception {
        faults.corruptNextChunks(1);

        upload(0, content.length, new AtomicLong()).answer().get(30, TimeUnit.SECONDS);

        byte[] body = received.get(5, TimeUnit.SECONDS).body();
        byte[] expected = content.clone();
        expected[0] ^= 0x5a;
        assertThat(body).isEqualTo(expected);
        assertThat(faults.corrupted()).isEqualTo(1);
    }

    @Test
    void theRateCapPacesTheUpload() throws Exception {
        uploads = uploads(4 << 20);
        long started = System.nanoTime();

        upload(0, 6 << 20, new AtomicLong()).answer().get(30, TimeUnit.SECONDS);

        // 6 MiB at 4 MiB/s: the first MiB goes at once, the other five take at least 1.25 s between them.
        assertThat(System.nanoTime() - started).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(1200));
        assertThat(received.get(5, TimeUnit.SECONDS).body()).hasSize(6 << 20);
    }

    @Test
    void anAbortedUploadFailsAndClosesTheConnection() throws Exception {
        server.removeContext("/");
        CountDownLatch someRead = new CountDownLatch(1);
        CountDownLatch aborted = new CountDownLatch(1);
        CompletableFuture<Long> serverRead = new CompletableFuture<>();
        server.createContext("/", exchange -> {
            long n = 0;
            try (InputStream in = exchange.getRequestBody()) {
                byte[] buffer = new byte[1 << 16];
                for (int r; (r = in.read(buffer)) >= 0; ) {
                    n += r;
                    if (n >= (1 << 20) && someRead.getCount() > 0) {
                        // a stalled peer: it reads no more until the client has given up
                        someRead.countDown();
                        aborted.await(10, TimeUnit.SECONDS);
                    }
                }
            } catch (IOException | InterruptedException closed) {
                serverRead.complete(n);
                return;
            }
            serverRead.complete(-1L);
        });
        PeerUploads.Upload upload = upload(0, content.length, new AtomicLong());
        assertThat(someRead.await(10, TimeUnit.SECONDS)).isTrue();

        upload.abort();
        aborted.countDown();

        assertThatThrownBy(() -> upload.answer().get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(IOException.class).hasMessageContaining("abandoned");
        assertThat(serverRead.get(10, TimeUnit.SECONDS)).as("bytes the server read before the connection broke")
                .isBetween(1L << 20, (long) content.length - 1);
    }

    @Test
    void aPeerThatIsNotThereFailsTheAnswer() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        PeerUploads.Upload upload = uploads.start(URI.create("http://127.0.0.1:" + closedPort + "/x"), null, "Bearer token", file, 0,
                content.length, CHUNK, Duration.ofSeconds(2), n -> { });

        assertThatThrownBy(() -> upload.answer().get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(java.net.ConnectException.class);
    }

    private PeerUploads.Upload upload(long offset, long length, AtomicLong sent) {
        URI target = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/node/v1/packages/t/files/disk-0.img?offset=" + offset);
        return uploads.start(target, null, "Bearer token", file, offset, length, CHUNK, Duration.ofSeconds(2), sent::addAndGet);
    }

    private PeerUploads uploads(long maxRate) {
        TransferProperties properties = new TransferProperties(DataSize.ofBytes(maxRate), 8, DataSize.ofKilobytes(256),
                DataSize.ofMegabytes(1), 4, Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(30),
                Duration.ofSeconds(1), 5, Duration.ofHours(24), Duration.ofHours(24), "openssl");
        return new PeerUploads(connections, new RateLimiter(properties), faults);
    }

    private static void answer(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}

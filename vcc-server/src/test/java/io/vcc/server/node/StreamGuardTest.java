package io.vcc.server.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A node that accepts a streaming call and then stops answering, taking or sending bytes: the call ends
 * (the thread is free again, its interrupt taken back) instead of waiting forever; a slow client of ours is
 * not taken for a silent node. A real HTTP client against a socket that hangs.
 */
@Timeout(120)
class StreamGuardTest {

    private static final Duration IDLE = Duration.ofMillis(500);

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final List<Socket> accepted = new ArrayList<>();
    private ServerSocket node;

    @AfterEach
    void tearDown() throws IOException {
        timer.shutdownNow();
        for (Socket socket : accepted) {
            socket.close();
        }
        if (node != null) {
            node.close();
        }
    }

    @Test
    void aNodeThatAcceptsAndNeverAnswersEndsTheCall() throws Exception {
        URI uri = hangingNode(null);
        StreamGuard guard = new StreamGuard(timer, IDLE);

        assertThatThrownBy(() -> guard.await(IDLE, () -> client.send(HttpRequest.newBuilder(uri).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream())))
                .isInstanceOfAny(InterruptedException.class, IOException.class);
        assertThat(guard.expired()).isTrue();
        guard.close();
        assertThat(Thread.currentThread().isInterrupted()).as("the guard's interrupt is taken back").isFalse();
        assertThat(guard.timeout()).hasMessageContaining("PT0.5S");
    }

    @Test
    void aNodeThatStopsSendingItsBodyFailsTheReadWithATimeout() throws Exception {
        String head = "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: 1000000\r\n\r\n";
        URI uri = hangingNode((head + "x".repeat(1000)).getBytes(StandardCharsets.US_ASCII));
        StreamGuard guard = new StreamGuard(timer, IDLE);
        HttpResponse<InputStream> response = guard.await(Duration.ofMinutes(1), () -> client.send(HttpRequest.newBuilder(uri).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream()));
        assertThat(response.statusCode()).isEqualTo(200);

        try (InputStream body = guard.fromNode(response.body())) {
            assertThat(body.readNBytes(1000)).hasSize(1000);
            assertThatThrownBy(body::readAllBytes).isInstanceOf(HttpTimeoutException.class);
        }
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    @Test
    void anUploadTheNodeStopsTakingEnds() throws Exception {
        URI uri = hangingNode(null);
        StreamGuard guard = new StreamGuard(timer, IDLE);
        long length = 256L << 20;
        Supplier<InputStream> body = () -> guard.fromClient(new ZeroStream(length, 0));

        assertThatThrownBy(() -> guard.await(IDLE, () -> client.send(HttpRequest.newBuilder(uri)
                .PUT(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(body), length)).build(),
                HttpResponse.BodyHandlers.ofInputStream())))
                .isInstanceOfAny(InterruptedException.class, IOException.class);
        assertThat(guard.expired()).isTrue();
        guard.close();
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    @Test
    void aClientOfOursThatPausesIsNotANodeThatStopped() throws Exception {
        node = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        long length = 64 * 1024;
        Thread server = new Thread(() -> {
            try (Socket socket = node.accept()) {
                InputStream in = socket.getInputStream();
                // Headers, then exactly the body, then the answer.
                StringBuilder headers = new StringBuilder();
                while (!headers.toString().endsWith("\r\n\r\n")) {
                    headers.append((char) in.read());
                }
                in.readNBytes((int) length);
                OutputStream out = socket.getOutputStream();
                out.write("HTTP/1.1 204 No Content\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                Thread.sleep(500);
            } catch (IOException | InterruptedException ignored) {
                // the test fails on its side
            }
        });
        server.setDaemon(true);
        server.start();
        StreamGuard guard = new StreamGuard(timer, IDLE);
        // The client's body pauses for three idle timeouts halfway: the node waits for it, and so does the guard.
        Supplier<InputStream> body = () -> guard.fromClient(new ZeroStream(length, 1500));

        HttpResponse<InputStream> response = guard.await(IDLE, () -> client.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + node.getLocalPort() + "/upload"))
                .PUT(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(body), length)).build(),
                HttpResponse.BodyHandlers.ofInputStream()));

        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(guard.expired()).isFalse();
        guard.close();
    }

    /** A node that accepts connections, sends {@code answer} (if any) and then neither reads nor writes. */
    private URI hangingNode(byte[] answer) throws IOException {
        node = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            try {
                while (!node.isClosed()) {
                    Socket socket = node.accept();
                    socket.setReceiveBufferSize(4096);
                    accepted.add(socket);
                    if (answer != null) {
                        socket.getOutputStream().write(answer);
                        socket.getOutputStream().flush();
                    }
                }
            } catch (IOException closed) {
                // test over
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        return URI.create("http://127.0.0.1:" + node.getLocalPort() + "/node/v1/vms/vm-1/ova");
    }

    /** {@code length} zeros, pausing {@code pauseMillis} once halfway, as a slow uploader would. */
    private static final class ZeroStream extends InputStream {
        private final long length;
        private final long pauseMillis;
        private long position;
        private boolean paused;

        ZeroStream(long length, long pauseMillis) {
            this.length = length;
            this.pauseMillis = pauseMillis;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : 0;
        }

        @Override
        public int read(byte[] buffer, int offset, int count) {
            if (position >= length) {
                return -1;
            }
            if (!paused && pauseMillis > 0 && position >= length / 2) {
                paused = true;
                try {
                    Thread.sleep(pauseMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            int n = (int) Math.min(Math.min(count, 8192), length - position);
            java.util.Arrays.fill(buffer, offset, offset + n, (byte) 0);
            position += n;
            return n;
        }
    }
}

package io.vcc.e2e.bench;

import io.vcc.e2e.VccCluster;
import io.vcc.support.tls.Certificates;
import io.vcc.support.tls.Pem;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The peer the transfer is measured against: nginx serves the same disk file on loopback (sendfile, from
 * the page cache; over TLS, OpenSSL encrypts it) and {@code curl | openssl dgst -sha256} receives and hashes it. It writes nothing to disk
 * and keeps no checkpoints. nginx runs in the foreground as this JVM's child with a generated config in a
 * temporary directory, and is stopped before {@link #measure} returns, so no daemon is left behind.
 */
final class NginxPeer {

    record Result(long bytes, double seconds, String sha256) {
        double megabytesPerSecond() {
            return bytes / seconds / 1e6;
        }
    }

    private NginxPeer() {
    }

    static Result measure(Path file, Path work, boolean tls) throws IOException, InterruptedException {
        Path dir = Files.createDirectories(work.resolve("nginx"));
        int port = VccCluster.freePort();
        String listen = "127.0.0.1:" + port;
        String curlTls = "";
        if (tls) {
            // nginx over TLS with a certificate of its own CA, which curl is told to trust
            KeyPair caKeys = Certificates.newKeyPair();
            X509Certificate ca = Certificates.authority(caKeys, "bench CA", Instant.now(), Duration.ofDays(1));
            KeyPair keys = Certificates.newKeyPair();
            X509Certificate certificate = Certificates.issue(ca, caKeys.getPrivate(), keys.getPublic(), "nginx",
                    List.of("127.0.0.1"), Instant.now(), Duration.ofDays(1));
            Pem.write(dir.resolve("ca.pem"), Pem.encode(ca), false);
            Pem.write(dir.resolve("cert.pem"), Pem.encode(List.of(certificate, ca)), false);
            Pem.write(dir.resolve("key.pem"), Pem.encodePrivateKey(keys.getPrivate()), true);
            listen += " ssl; ssl_certificate " + dir.toAbsolutePath().resolve("cert.pem") + "; ssl_certificate_key "
                    + dir.toAbsolutePath().resolve("key.pem");
            curlTls = "--cacert " + dir.toAbsolutePath().resolve("ca.pem") + " ";
        }
        Path conf = dir.resolve("nginx.conf");
        Files.writeString(conf, """
                daemon off;
                master_process off;
                worker_processes 1;
                user root;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log warn;
                events { worker_connections 16; }
                http {
                    access_log off;
                    sendfile on;
                    client_body_temp_path %1$s/body;
                    proxy_temp_path %1$s/proxy;
                    fastcgi_temp_path %1$s/fastcgi;
                    uwsgi_temp_path %1$s/uwsgi;
                    scgi_temp_path %1$s/scgi;
                    server {
                        listen %2$s;
                        location = /file { alias %3$s; default_type application/octet-stream; }
                    }
                }
                """.formatted(dir.toAbsolutePath(), listen, file.toAbsolutePath()), StandardCharsets.UTF_8);
        Process nginx = new ProcessBuilder("nginx", "-p", dir.toString(), "-c", conf.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("nginx.out").toFile()).start();
        try {
            awaitListening(port, nginx, dir);
            long bytes = Files.size(file);
            String command = "set -o pipefail; curl -sS --fail " + curlTls + (tls ? "https" : "http") + "://127.0.0.1:" + port
                    + "/file | openssl dgst -sha256";
            long start = System.nanoTime();
            Process pipeline = new ProcessBuilder("bash", "-c", command).redirectErrorStream(true).start();
            String out = new String(pipeline.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            int exit = pipeline.waitFor();
            double seconds = (System.nanoTime() - start) / 1e9;
            if (exit != 0) {
                throw new IOException("curl | openssl failed (" + exit + "): " + out);
            }
            return new Result(bytes, seconds, out.substring(out.lastIndexOf(' ') + 1));
        } finally {
            nginx.destroy();
            if (!nginx.waitFor(10, TimeUnit.SECONDS)) {
                nginx.destroyForcibly().waitFor();
            }
        }
    }

    private static void awaitListening(int port, Process nginx, Path dir) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!nginx.isAlive()) {
                throw new IOException("nginx exited: " + Files.readString(dir.resolve("nginx.out")));
            }
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IOException("nginx did not listen on " + port);
    }
}

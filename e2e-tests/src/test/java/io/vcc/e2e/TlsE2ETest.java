package io.vcc.e2e;

import static io.vcc.e2e.Digests.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import io.vcc.node.core.identity.NodeCertificates;
import io.vcc.support.tls.Certificates;
import io.vcc.support.tls.Pem;
import io.vcc.support.tls.PinnedAuthority;
import io.vcc.support.tls.TlsContexts;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * TLS on every hop: a server with its CA, a public node (a) and a private one (c) that register with a
 * pinned CA and get their certificates from it, then a push (c to a), a pull (a to c) and an OVA download,
 * every hop over HTTPS with certificates checked. Plain HTTP and a wrong certificate get nowhere, and a node
 * renews its certificate, which its web server then serves without a restart.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TlsE2ETest {

    private static final int MIB = 1024 * 1024;
    private static final int DISK_BYTES = 8 * MIB;

    @TempDir
    static Path home;

    private VccCluster cluster;
    private int serverPort;
    private String server;
    private SSLContext trustingTheCa;
    private Api admin;
    private Api acme;
    private String caPin;
    private final int portA = VccCluster.freePort();
    private final int portC = VccCluster.freePort();
    private ConfigurableApplicationContext nodeA;
    private ConfigurableApplicationContext nodeC;
    private String vdcA;
    private String vdcC;
    private int vmCount;

    @BeforeAll
    void startSystem() throws Exception {
        cluster = new VccCluster(home);
        serverPort = VccCluster.freePort();
        server = "https://localhost:" + serverPort;
        cluster.server(serverPort, "--vcc.tls.enabled=true", "--vcc.transfers.chunk-size=1MB",
                "--vcc.transfers.poll-interval=300ms", "--db-scheduler.polling-interval=200ms");
        // What an operator does: take the CA from the server's home and trust it (curl --cacert), pin its SHA-256.
        X509Certificate ca = Pem.certificates(cluster.home("server", "vcc-server").resolve("tls/ca.pem")).get(0);
        caPin = Certificates.sha256(ca);
        trustingTheCa = TlsContexts.sslContext(null, List.of(), List.of(ca));
        admin = Api.basic(server, "admin", VccCluster.ADMIN_PASSWORD).trusting(trustingTheCa);
        nodeA = startNode("node-a", portA, "PUBLIC", admin.post("/api/v1/node-registrations", "{}").text("token"));
        nodeC = startNode("node-c", portC, "PRIVATE", admin.post("/api/v1/node-registrations", "{}").text("token"));
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                assertThat(admin.get("/api/v1/nodes").json().findValuesAsString("status")).containsOnly("RUNNING").hasSize(2));
        String tenant = admin.createTenantWithAdmin("acme");
        acme = admin.asTenantAdmin("acme");
        vdcA = admin.createVdc(tenant, "node-a", "acme-a", 100);
        vdcC = admin.createVdc(tenant, "node-c", "acme-c", 100);
    }

    private ConfigurableApplicationContext startNode(String name, int port, String visibility, String token) {
        return cluster.vccNode(name, port, "https://localhost:" + port, server, token, visibility,
                "--vcc.tls.enabled=true", "--vcc.node.server-ca-sha256=" + caPin,
                "--spring.ssl.bundle.watch.file.quiet-period=200ms");
    }

    @AfterAll
    void stopSystem() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void eachNodeServesTheCertificateTheServersCaIssuedForItsBaseUrl() throws Exception {
        X509Certificate ca = Pem.certificates(cluster.home("server", "vcc-server").resolve("tls/ca.pem")).get(0);
        for (int port : new int[] {portA, portC}) {
            X509Certificate served = servedCertificate(port);
            served.verify(ca.getPublicKey());
            assertThat(served.getSubjectAlternativeNames().stream().map(name -> String.valueOf(name.get(1))).toList()).contains("localhost");
            assertThat(served.getSubjectX500Principal().getName()).contains("CN=node-");
        }
        X509Certificate serverCertificate = servedCertificate(serverPort);
        serverCertificate.verify(ca.getPublicKey());
        assertThat(admin.get("/api/v1/pki/ca").text("sha256")).isEqualTo(caPin);
    }

    @Test
    @Order(2)
    void plainHttpIsNotServedOnAnyPort() {
        HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        for (int port : new int[] {serverPort, portA, portC}) {
            int status;
            try {
                status = plain.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode();
            } catch (IOException refused) {
                status = -1;
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            assertThat(status).as("plain HTTP to port " + port).isNotEqualTo(200);
        }
    }

    @Test
    @Order(3)
    void aCertificateFromAnotherCaIsRefused() throws Exception {
        // a client that trusts another CA (as a node installed with the wrong trust would) does not accept ours
        var other = Certificates.newKeyPair();
        X509Certificate stranger = Certificates.authority(other, "someone else's CA", java.time.Instant.now(), Duration.ofDays(1));
        Api strangerAdmin = Api.basic(server, "admin", VccCluster.ADMIN_PASSWORD)
                .trusting(TlsContexts.sslContext(null, List.of(), List.of(stranger)));
        assertThatThrownBy(() -> strangerAdmin.get("/api/v1/nodes")).hasRootCauseInstanceOf(java.security.cert.CertPathBuilderException.class);
        HttpClient toNode = HttpClient.newBuilder().sslContext(TlsContexts.sslContext(null, List.of(), List.of(stranger))).build();
        assertThatThrownBy(() -> toNode.send(HttpRequest.newBuilder(URI.create("https://localhost:" + portA + "/actuator/health")).build(),
                HttpResponse.BodyHandlers.ofString())).isInstanceOf(SSLHandshakeException.class);
        // a node given a pin that is not the server's CA does not trust the server
        assertThatThrownBy(() -> PinnedAuthority.fetch(server, "00".repeat(32), Duration.ofSeconds(5)))
                .hasMessageContaining("does not have the SHA-256");
        // a node's certificate does not let anyone renew another identity's: a client without one is refused
        Api.Response renewal = admin.post("/api/v1/nodes/certificate", "{\"certificateRequest\":\""
                + Certificates.certificateRequest(other, "intruder").replace("\n", "\\n") + "\"}");
        assertThat(renewal.status()).as(renewal.toString()).isEqualTo(401);
        // a node that would serve plain HTTP is not registered, and its token stays unused
        Api.Response issued = admin.post("/api/v1/node-registrations", "{}");
        String token = issued.text("token");
        Api.Response plain = Api.anonymous(server).trusting(trustingTheCa).post("/api/v1/nodes/register", "{\"registrationToken\":\""
                + token + "\",\"name\":\"plain-node\",\"kind\":\"VCC\",\"visibility\":\"PUBLIC\",\"baseUrl\":\"http://localhost:9\","
                + "\"cloudName\":\"plain\",\"cloudType\":\"VDC_MANAGER\",\"services\":[],\"version\":\"test\"}");
        assertThat(plain.status()).as(plain.toString()).isEqualTo(400);
        assertThat(plain.problemType()).isEqualTo("urn:vcc:problem:validation");
        for (JsonNode registration : admin.get("/api/v1/node-registrations").json()) {
            if (registration.path("id").asString().equals(issued.text("id"))) {
                assertThat(registration.path("state").asString()).isEqualTo("PENDING");
            }
        }
    }

    @Test
    @Order(4)
    void aPushAndAPullMoveTheBytesOverTls() {
        JsonNode vmC = vm(vdcC, "node-c");
        String digestC = sha256(disk("node-c", vmC.path("id").asString()));
        JsonNode pushed = awaitEnd(start(vdcC, vmC, vdcA));
        assertThat(pushed.path("state").asString()).as(pushed.toString()).isEqualTo("SUCCEEDED");
        assertThat(pushed.path("outputs").path("direction").asString()).isEqualTo("PUSH");
        assertThat(sha256(disk("node-a", pushed.path("outputs").path("targetVmId").asString()))).isEqualTo(digestC);

        JsonNode vmA = vm(vdcA, "node-a");
        String digestA = sha256(disk("node-a", vmA.path("id").asString()));
        JsonNode pulled = awaitEnd(start(vdcA, vmA, vdcC));
        assertThat(pulled.path("state").asString()).as(pulled.toString()).isEqualTo("SUCCEEDED");
        assertThat(pulled.path("outputs").path("direction").asString()).isEqualTo("PULL");
        assertThat(sha256(disk("node-c", pulled.path("outputs").path("targetVmId").asString()))).isEqualTo(digestA);
        // The nodes' Tomcat encrypted those bytes with BoringSSL, not the JDK's engine.
        assertThat(tlsContextOf(nodeA)).startsWith("io.vcc.node.transfer.OpenSslTomcat");
        assertThat(tlsContextOf(nodeC)).startsWith("io.vcc.node.transfer.OpenSslTomcat");
    }

    /** The class of the TLS context a service's Tomcat serves with. */
    private static String tlsContextOf(ConfigurableApplicationContext service) {
        var webServer = (org.springframework.boot.tomcat.TomcatWebServer)
                ((org.springframework.boot.web.server.context.WebServerApplicationContext) service).getWebServer();
        var protocol = (org.apache.coyote.http11.AbstractHttp11Protocol<?>) webServer.getTomcat().getService().findConnectors()[0]
                .getProtocolHandler();
        return protocol.findSslHostConfigs()[0].getCertificates().iterator().next().getSslContext().getClass().getName();
    }

    @Test
    @Order(5)
    void anOvaDownloadsThroughTheServerOverTls() throws Exception {
        JsonNode vm = vm(vdcA, "node-a");
        HttpClient client = HttpClient.newBuilder().sslContext(trustingTheCa).build();
        HttpResponse<InputStream> ova = client.send(HttpRequest.newBuilder(URI.create(server + "/api/v1/vdcs/" + vdcA + "/vms/"
                        + vm.path("id").asString() + "/ova")).header("Authorization", "Basic "
                        + java.util.Base64.getEncoder().encodeToString("acme-admin:acme-password-1".getBytes())).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(ova.statusCode()).isEqualTo(200);
        try (InputStream body = ova.body()) {
            byte[] first = body.readNBytes(512);
            // a USTAR header, the descriptor first
            assertThat(new String(first, 257, 5)).isEqualTo("ustar");
            assertThat(new String(first, 0, 100).trim()).endsWith(".ovf");
            long rest = body.transferTo(java.io.OutputStream.nullOutputStream());
            assertThat(512 + rest).isGreaterThan(DISK_BYTES);
        }
    }

    @Test
    @Order(6)
    void aNodeRenewsItsCertificateAndServesTheNewOneWithoutARestart() throws Exception {
        BigInteger before = servedCertificate(portA).getSerialNumber();
        // the node's certificate lasts 30 days; renewing 40 days ahead makes it due now
        NodeCertificates certificates = nodeA.getBean(NodeCertificates.class);
        assertThat(certificates.renewIfDue(Duration.ofDays(40))).isTrue();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> !servedCertificate(portA).getSerialNumber().equals(before));
        X509Certificate renewed = servedCertificate(portA);
        renewed.verify(Pem.certificates(cluster.home("server", "vcc-server").resolve("tls/ca.pem")).get(0).getPublicKey());
        // and the server still calls the node with it
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(admin.get("/api/v1/nodes").json().findValuesAsString("status")).containsOnly("RUNNING"));
        assertThat(acme.get("/api/v1/vdcs/" + vdcA + "/vms").status()).isEqualTo(200);
    }

    @Test
    @Order(7)
    void aRevokedNodeGetsNoNewCertificate() {
        String nodeCId = null;
        for (var node : admin.get("/api/v1/nodes").json()) {
            if (node.path("name").asString().equals("node-c")) {
                nodeCId = node.path("id").asString();
            }
        }
        assertThat(nodeCId).isNotNull();
        Api.Response revoked = admin.post("/api/v1/nodes/" + nodeCId + "/revocation", "{}");
        assertThat(revoked.status()).as(revoked.toString()).isBetween(200, 204);
        NodeCertificates certificates = nodeC.getBean(NodeCertificates.class);
        assertThatThrownBy(() -> certificates.renewIfDue(Duration.ofDays(40)))
                .isInstanceOfSatisfying(VccProblemException.class, e -> assertThat(e.type()).isEqualTo(ProblemType.UNAUTHORIZED));
    }

    // ---- helpers ---------------------------------------------------------------------------------

    /** The certificate a service presents, accepted only if it chains to the CA and names localhost. */
    private X509Certificate servedCertificate(int port) throws IOException {
        try (SSLSocket socket = (SSLSocket) trustingTheCa.getSocketFactory().createSocket("localhost", port)) {
            var parameters = socket.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        }
    }

    private Path disk(String node, String vmId) {
        return cluster.home(node, "vcc-node").resolve("disks").resolve(vmId).resolve("disk-0.img");
    }

    private JsonNode vm(String vdc, String node) {
        String name = "vm-" + (++vmCount);
        Api.Response created = acme.post("/api/v1/vdcs/" + vdc + "/vms", "{\"name\":\"" + name + "\",\"cpus\":1,\"memoryMb\":512,\"diskGb\":1}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonNode vm = created.json();
        byte[] content = new byte[DISK_BYTES];
        new Random(vmCount).nextBytes(content);
        try (RandomAccessFile file = new RandomAccessFile(disk(node, vm.path("id").asString()).toFile(), "rw")) {
            file.setLength(DISK_BYTES);
            file.write(content);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return vm;
    }

    private String start(String sourceVdc, JsonNode vm, String targetVdc) {
        Api.Response accepted = acme.post("/api/v1/transfers", "{\"sourceVdcId\":\"" + sourceVdc + "\",\"vmId\":\""
                + vm.path("id").asString() + "\",\"targetVdcId\":\"" + targetVdc + "\",\"mode\":\"COPY\"}");
        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
        return accepted.text("id");
    }

    private JsonNode awaitEnd(String operation) {
        return acme.awaitOperationEnd(operation, Duration.ofSeconds(120), Duration.ofMillis(300));
    }
}

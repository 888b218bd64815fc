package io.vcc.e2e;

import static io.vcc.e2e.Digests.sha256;
import static io.vcc.e2e.RawHttp.basic;
import static io.vcc.e2e.RawHttp.indexOf;
import static io.vcc.e2e.RawHttp.json;
import static io.vcc.e2e.RawHttp.random;
import static io.vcc.e2e.RawHttp.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tus.java.client.ProtocolException;
import io.tus.java.client.TusClient;
import io.tus.java.client.TusURLMemoryStore;
import io.tus.java.client.TusUpload;
import io.tus.java.client.TusUploader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Packages as other tools make them, over real HTTP (a server and one node, real PostgreSQL): a package with
 * three deployment sizes whose hardware items share InstanceIDs (imported with its default size or the one
 * asked for), packages without a manifest (refused unless an admin allowed them for the VDC or the upload),
 * and an upload by the tus project's own Java client, cut mid-request and resumed by the client's resume logic.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RealWorldPackagesE2ETest {

    private static final long MIB = 1L << 20;
    private static final Path EDGE_ROUTER = Path.of("..", "ovf", "src", "test", "resources", "ovf", "profiles",
            "edge-router.ovf");

    @TempDir
    static Path home;

    private VccCluster cluster;
    private TcpProxy serverProxy;
    private String server;
    private RawHttp http;
    private Api admin;
    private final String acme = basic("acme-admin", "acme-password-1");
    private final String root = basic("admin", VccCluster.ADMIN_PASSWORD);
    private String acmeTenant;

    @BeforeAll
    void startSystem() throws IOException {
        cluster = new VccCluster(home);
        int serverPort = VccCluster.freePort();
        server = "http://localhost:" + serverPort;
        http = new RawHttp(server);
        cluster.server(serverPort);
        // The tus client reaches the server through a proxy the test can cut.
        serverProxy = new TcpProxy(serverPort);
        admin = Api.basic(server, "admin", VccCluster.ADMIN_PASSWORD);
        int nodePort = VccCluster.freePort();
        cluster.vccNode("node-r", nodePort, "http://127.0.0.1:" + nodePort, server,
                admin.post("/api/v1/node-registrations", "{\"note\":\"node-r\"}").text("token"), "PUBLIC",
                "--vcc.packages.commit-interval=256KB");
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                assertThat(admin.get("/api/v1/nodes").json().findValuesAsString("status")).containsExactly("RUNNING"));
        acmeTenant = admin.createTenantWithAdmin("acme");
    }

    @AfterAll
    void stopSystem() throws IOException {
        if (cluster != null) {
            cluster.close();
        }
        if (serverProxy != null) {
            serverProxy.close();
        }
    }

    @Test
    void aPackageWithThreeSizesImportsItsDefaultOrTheSizeAskedFor() throws Exception {
        String vdc = admin.createVdc(acmeTenant, "node-r", "acme-sizes", 200);
        byte[] disk = random(MIB + 17, 1);
        byte[] ova = edgeRouterOva(disk, true);

        JsonNode medium = importOne(vdc, "?name=edge-default", acme, Map.of(), ova);
        assertThat(medium.path("deploymentOption").asString()).isEqualTo("medium");
        assertThat(medium.path("verified").asBoolean()).isTrue();
        assertThat(medium.path("unsignedAllowedBy").isNull()).isTrue();
        JsonNode vm = vm(vdc, medium);
        assertThat(vm.path("cpus").asInt()).isEqualTo(4);
        assertThat(vm.path("memoryMb").asLong()).isEqualTo(8192);
        assertThat(vm.path("nics")).hasSize(2);
        assertThat(sha256(disk(medium.path("importedId").asString()))).isEqualTo(sha256(disk));

        JsonNode large = importOne(vdc, "?name=edge-large&deploymentOption=large", acme, Map.of(), ova);
        assertThat(large.path("deploymentOption").asString()).isEqualTo("large");
        assertThat(vm(vdc, large).path("cpus").asInt()).isEqualTo(8);
        assertThat(vm(vdc, large).path("memoryMb").asLong()).isEqualTo(16384);
        assertThat(vm(vdc, large).path("nics")).hasSize(3);

        // The option as tus metadata, as a tus client sends it.
        JsonNode small = importOne(vdc, "", acme, Map.of("Upload-Metadata", "name " + base64("edge-small")
                + ",deploymentOption " + base64("small")), ova);
        assertThat(small.path("deploymentOption").asString()).isEqualTo("small");
        assertThat(vm(vdc, small).path("cpus").asInt()).isEqualTo(2);
        assertThat(vm(vdc, small).path("memoryMb").asLong()).isEqualTo(4096);

        int vms = vms(vdc);
        HttpResponse<byte[]> unknown = send("POST", "/api/v1/vdcs/" + vdc + "/imports?deploymentOption=xl", acme,
                Map.of("Content-Type", "application/octet-stream"), ova);
        assertThat(unknown.statusCode()).as(text(unknown)).isEqualTo(400);
        assertThat(unknown.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).contains("problem+json"));
        assertThat(json(unknown).path("type").asString()).isEqualTo("urn:vcc:problem:validation");
        assertThat(json(unknown).path("detail").asString()).contains("'xl'", "small, medium, large");
        assertThat(vms(vdc)).isEqualTo(vms);
    }

    @Test
    void aPackageWithoutAManifestIsRefusedUnlessAnAdminAllowedItForTheVdcOrTheUpload() throws Exception {
        String vdc = admin.createVdc(acmeTenant, "node-r", "acme-unsigned", 200);
        byte[] disk = random(MIB + 33, 2);
        byte[] unsigned = edgeRouterOva(disk, false);

        // Refused by default, with its own problem type, and nothing imported. (An OVA may carry its manifest
        // last, so its absence shows once all bytes are in: the import, not the upload, fails.)
        JsonNode refused = importRefused(vdc, unsigned);
        assertThat(refused.path("problem").path("type").asString()).isEqualTo("urn:vcc:problem:missing-manifest");
        assertThat(refused.path("problem").path("detail").asString()).contains("no manifest edge-router.mf");
        assertThat(refused.path("unsignedAllowedBy").isNull()).isTrue();
        assertThat(vms(vdc)).isZero();

        // A tenant can allow it neither for an upload nor for its VDC.
        HttpResponse<byte[]> tenantUpload = send("POST", "/api/v1/vdcs/" + vdc + "/imports?allowUnsigned=true", acme,
                Map.of("Content-Type", "application/octet-stream"), unsigned);
        assertThat(tenantUpload.statusCode()).as(text(tenantUpload)).isEqualTo(403);
        assertThat(json(tenantUpload).path("type").asString()).isEqualTo("urn:vcc:problem:forbidden");
        HttpResponse<byte[]> tenantMetadata = send("POST", "/api/v1/vdcs/" + vdc + "/imports", acme,
                Map.of("Upload-Length", Long.toString(unsigned.length), "Upload-Metadata", "allowUnsigned " + base64("true")), null);
        assertThat(tenantMetadata.statusCode()).as(text(tenantMetadata)).isEqualTo(403);
        HttpResponse<byte[]> tenantSetting = send("PATCH", "/api/v1/vdcs/" + vdc, acme,
                Map.of("Content-Type", "application/json"), "{\"allowUnsignedPackages\":true}".getBytes(StandardCharsets.UTF_8));
        assertThat(tenantSetting.statusCode()).as(text(tenantSetting)).isEqualTo(403);
        assertThat(json(send("GET", "/api/v1/vdcs/" + vdc, acme, Map.of(), null)).path("allowUnsignedPackages").asBoolean()).isFalse();
        assertThat(vms(vdc)).isZero();

        // An admin allows it for one upload; the record says so.
        JsonNode byAdmin = importOne(vdc, "?name=edge-admin&allowUnsigned=true", root, Map.of(), unsigned);
        assertThat(byAdmin.path("verified").asBoolean(true)).isFalse();
        assertThat(byAdmin.path("unsignedAllowedBy").asString()).isEqualTo("admin:admin");
        assertThat(sha256(disk(byAdmin.path("importedId").asString()))).isEqualTo(sha256(disk));
        // ... which allowed that upload only.
        assertThat(importRefused(vdc, unsigned).path("problem").path("type").asString())
                .isEqualTo("urn:vcc:problem:missing-manifest");

        // An admin allows it for the VDC; the tenant's unsigned upload then imports, recorded as unverified.
        HttpResponse<byte[]> setting = send("PATCH", "/api/v1/vdcs/" + vdc, root,
                Map.of("Content-Type", "application/json"), "{\"allowUnsignedPackages\":true}".getBytes(StandardCharsets.UTF_8));
        assertThat(setting.statusCode()).as(text(setting)).isEqualTo(200);
        assertThat(json(setting).path("allowUnsignedPackages").asBoolean()).isTrue();
        JsonNode byVdc = importOne(vdc, "?name=edge-vdc", acme, Map.of(), unsigned);
        assertThat(byVdc.path("verified").asBoolean(true)).isFalse();
        assertThat(byVdc.path("unsignedAllowedBy").asString()).isEqualTo("vdc");
        // A manifest that is there is still checked, and vouches for the package.
        JsonNode signed = importOne(vdc, "?name=edge-signed", acme, Map.of(), edgeRouterOva(disk, true));
        assertThat(signed.path("verified").asBoolean()).isTrue();
        byte[] tampered = edgeRouterOva(disk, true);
        tampered[indexOf(tampered, Arrays.copyOf(disk, 64)) + 1000] ^= 0x5a;
        assertThat(importRefused(vdc, tampered).path("problem").path("type").asString())
                .isEqualTo("urn:vcc:problem:package-not-verified");

        // The same as an OVF descriptor and its disk, in the large size: no manifest is awaited, the disk completes it.
        byte[] descriptor = edgeRouterDescriptor(disk);
        HttpResponse<byte[]> ovf = send("POST", "/api/v1/vdcs/" + vdc + "/imports?deploymentOption=large", acme,
                Map.of("Content-Type", "application/octet-stream", "Upload-Metadata", "filename " + base64("edge-router.ovf")
                        + ",name " + base64("edge-ovf")), descriptor);
        assertThat(ovf.statusCode()).as(text(ovf)).isEqualTo(201);
        String location = ovf.headers().firstValue("Location").orElseThrow();
        assertThat(json(send("GET", location, acme, Map.of(), null)).path("files").findValuesAsString("name"))
                .containsExactly("edge-router-disk1.vmdk");
        HttpResponse<byte[]> diskSent = send("POST", location + "/files?filename=edge-router-disk1.vmdk", acme,
                Map.of("Content-Type", "application/offset+octet-stream"), disk);
        assertThat(diskSent.statusCode()).as(text(diskSent)).isEqualTo(201);
        JsonNode fromOvf = awaitEnd(location);
        assertThat(fromOvf.path("state").asString()).as(fromOvf.toString()).isEqualTo("SUCCEEDED");
        assertThat(fromOvf.path("verified").asBoolean(true)).isFalse();
        assertThat(fromOvf.path("deploymentOption").asString()).isEqualTo("large");
        assertThat(vm(vdc, fromOvf).path("cpus").asInt()).isEqualTo(8);
        assertThat(vms(vdc)).isEqualTo(4);
    }

    @Test
    void theTusJavaClientUploadsIsCutMidRequestAndResumesWithItsOwnUrlStore() throws Exception {
        String vdc = admin.createVdc(acmeTenant, "node-r", "acme-tus", 200);
        byte[] disk = random(7 * MIB + 5, 3);
        byte[] ova = edgeRouterOva(disk, true);
        URL creation = URI.create("http://127.0.0.1:" + serverProxy.port() + "/api/v1/vdcs/" + vdc + "/imports").toURL();
        TusURLMemoryStore urls = new TusURLMemoryStore();
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("filename", "edge-router.ova");
        metadata.put("name", "edge-tus");
        metadata.put("deploymentOption", "small");

        TusUploader first = client(creation, urls).resumeOrCreateUpload(upload(ova, metadata));
        first.setChunkSize(256 * 1024);
        first.setRequestPayloadSize((int) (3 * MIB));
        while (first.getOffset() < 4 * MIB) {
            assertThat(first.uploadChunk()).isPositive();
        }
        // The link breaks in the middle of the client's second PATCH.
        serverProxy.cutAll();
        assertThatThrownBy(() -> {
            while (first.uploadChunk() > -1) {
                // the rest, until the broken connection shows
            }
            first.finish();
        }).isInstanceOfAny(IOException.class, ProtocolException.class);
        String location = first.getUploadURL().getPath();
        long durable = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> offsetOf(location), o -> o > 0 && o.equals(offsetOf(location)));
        assertThat(durable).isBetween(3 * MIB, (long) ova.length - 1);

        // A new client, as after a restart of the user's program: its URL store finds the upload, HEAD the offset.
        TusUploader resumed = client(creation, urls).resumeOrCreateUpload(upload(ova, metadata));
        assertThat(resumed.getUploadURL().getPath()).isEqualTo(location);
        assertThat(resumed.getOffset()).isEqualTo(durable);
        resumed.setChunkSize(256 * 1024);
        while (resumed.uploadChunk() > -1) {
            // on to the end
        }
        resumed.finish();
        assertThat(resumed.getOffset()).isEqualTo(ova.length);

        JsonNode done = awaitEnd(location);
        assertThat(done.path("state").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
        assertThat(done.path("name").asString()).isEqualTo("edge-tus");
        assertThat(done.path("deploymentOption").asString()).isEqualTo("small");
        assertThat(vm(vdc, done).path("cpus").asInt()).isEqualTo(2);
        assertThat(sha256(disk(done.path("importedId").asString()))).isEqualTo(sha256(disk));
    }

    // ---- helpers -------------------------------------------------------------------------------------

    private TusClient client(URL creation, TusURLMemoryStore urls) {
        TusClient client = new TusClient();
        client.setUploadCreationURL(creation);
        client.enableResuming(urls);
        client.setHeaders(Map.of("Authorization", acme));
        return client;
    }

    private static TusUpload upload(byte[] ova, Map<String, String> metadata) {
        TusUpload upload = new TusUpload();
        upload.setInputStream(new ByteArrayInputStream(ova));
        upload.setSize(ova.length);
        upload.setFingerprint("edge-router.ova-" + ova.length);
        upload.setMetadata(metadata);
        return upload;
    }

    /** Imports {@code ova} in one request (tus creation-with-upload) and waits for it to succeed; the import. */
    private JsonNode importOne(String vdc, String query, String authorization, Map<String, String> headers, byte[] ova)
            throws Exception {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put("Content-Type", "application/octet-stream");
        HttpResponse<byte[]> created = send("POST", "/api/v1/vdcs/" + vdc + "/imports" + query, authorization, all, ova);
        assertThat(created.statusCode()).as(text(created)).isEqualTo(201);
        JsonNode done = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> json(send("GET", created.headers().firstValue("Location").orElseThrow(), authorization, Map.of(), null)),
                        status -> status.path("state").asString().matches("SUCCEEDED|FAILED"));
        assertThat(done.path("state").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
        return done;
    }

    /** Uploads {@code ova} as the tenant in one request and waits for its import to fail; the import. */
    private JsonNode importRefused(String vdc, byte[] ova) throws Exception {
        HttpResponse<byte[]> created = send("POST", "/api/v1/vdcs/" + vdc + "/imports", acme,
                Map.of("Content-Type", "application/octet-stream"), ova);
        assertThat(created.statusCode()).as(text(created)).isIn(201, 422);
        JsonNode done = awaitEnd(created.headers().firstValue("Location").orElseThrow());
        assertThat(done.path("state").asString()).as(done.toString()).isEqualTo("FAILED");
        assertThat(done.path("importedId").isNull()).isTrue();
        return done;
    }

    /**
     * The edge router package (ovf/profiles/edge-router.ovf, three sizes) as an OVA with {@code disk}, with its
     * SHA-256 manifest or without one.
     */
    private static byte[] edgeRouterOva(byte[] disk, boolean manifest) throws IOException {
        byte[] descriptor = edgeRouterDescriptor(disk);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            member(tar, "edge-router.ovf", descriptor);
            if (manifest) {
                member(tar, "edge-router.mf", ("SHA256(edge-router.ovf)= " + hex(descriptor) + "\n"
                        + "SHA256(edge-router-disk1.vmdk)= " + hex(disk) + "\n").getBytes(StandardCharsets.US_ASCII));
            }
            member(tar, "edge-router-disk1.vmdk", disk);
        }
        return out.toByteArray();
    }

    /** The edge router's descriptor, its disk's size made that of {@code disk}. */
    private static byte[] edgeRouterDescriptor(byte[] disk) throws IOException {
        return Files.readString(EDGE_ROUTER).replace("ovf:size=\"318767104\"", "ovf:size=\"" + disk.length + "\"")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static void member(TarArchiveOutputStream tar, String name, byte[] content) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(content.length);
        tar.putArchiveEntry(entry);
        tar.write(content);
        tar.closeArchiveEntry();
    }

    private static String hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonNode vm(String vdc, JsonNode imported) throws Exception {
        HttpResponse<byte[]> vm = send("GET", "/api/v1/vdcs/" + vdc + "/vms/" + imported.path("importedId").asString(), acme,
                Map.of(), null);
        assertThat(vm.statusCode()).as(text(vm)).isEqualTo(200);
        return json(vm);
    }

    private int vms(String vdc) throws Exception {
        return json(send("GET", "/api/v1/vdcs/" + vdc + "/vms", acme, Map.of(), null)).size();
    }

    private Path disk(String vmId) {
        return cluster.home("node-r", "vcc-node").resolve("disks").resolve(vmId).resolve("disk-0.img");
    }

    private static String base64(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    private HttpResponse<byte[]> send(String method, String path, String authorization, Map<String, String> headers,
                                      byte[] body) throws Exception {
        return http.send(method, path, authorization, headers, body);
    }

    private long offsetOf(String location) {
        return http.offsetOf(location, acme);
    }

    private JsonNode awaitEnd(String location) {
        return http.awaitEnd(location, acme);
    }
}

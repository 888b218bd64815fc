package io.vcc.e2e;

import static io.vcc.e2e.Digests.sha1;
import static io.vcc.e2e.Digests.sha256;
import static io.vcc.e2e.RawHttp.basic;
import static io.vcc.e2e.RawHttp.indexOf;
import static io.vcc.e2e.RawHttp.json;
import static io.vcc.e2e.RawHttp.random;
import static io.vcc.e2e.RawHttp.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vcc.ovf.ControllerType;
import io.vcc.ovf.DiskAttachment;
import io.vcc.ovf.FileReference;
import io.vcc.ovf.MemberSink;
import io.vcc.ovf.NetworkAdapter;
import io.vcc.ovf.OvaReader;
import io.vcc.ovf.OvaWriter;
import io.vcc.ovf.OvfEnvelope;
import io.vcc.ovf.OvfNetwork;
import io.vcc.ovf.OvfPackage;
import io.vcc.ovf.OvfPackageWriter;
import io.vcc.ovf.StorageController;
import io.vcc.ovf.VirtualDisk;
import io.vcc.ovf.VirtualHardware;
import io.vcc.ovf.VirtualSystem;
import io.vcc.ovf.VirtualSystemCollection;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Packages in and out for users over real HTTP: a server and one node with real PostgreSQL. OVAs are
 * uploaded tus-style into a VDC through the server (cut halfway and resumed with HEAD and PATCH, or in one
 * request), imported with their hardware, and downloaded back whole and by range; hostile packages are
 * refused with their problem types and leave nothing in the VDC nor in the node's staging.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PackageUploadE2ETest {

    private static final long MIB = 1L << 20;
    private static final long GIB = 1L << 30;

    @TempDir
    static Path home;
    @TempDir
    static Path work;

    private VccCluster cluster;
    private TcpProxy nodeProxy;
    private int serverPort;
    private String server;
    private RawHttp http;
    private Api admin;
    private final String acme = basic("acme-admin", "acme-password-1");
    private final String globex = basic("globex-admin", "globex-password-1");
    private String acmeTenant;
    private String vdc;
    private String globexVdc;
    private String importedVmId;
    private byte[] importedDisk;

    @BeforeAll
    void startSystem() throws IOException {
        cluster = new VccCluster(home);
        serverPort = VccCluster.freePort();
        server = "http://localhost:" + serverPort;
        http = new RawHttp(server);
        // A node that stops answering a stream is given up on after 5 s (else 60 s).
        cluster.server(serverPort, "--vcc.nodes.stream-idle-timeout=5s");
        admin = Api.basic(server, "admin", VccCluster.ADMIN_PASSWORD);
        int nodePort = VccCluster.freePort();
        // The server reaches the node through a proxy the test can cut.
        nodeProxy = new TcpProxy(nodePort);
        cluster.vccNode("node-p", nodePort, "http://127.0.0.1:" + nodeProxy.port(), server,
                admin.post("/api/v1/node-registrations", "{\"note\":\"node-p\"}").text("token"), "PUBLIC",
                "--vcc.packages.commit-interval=256KB", "--vcc.staging.budget=1GB");
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                assertThat(admin.get("/api/v1/nodes").json().findValuesAsString("status")).containsExactly("RUNNING"));
        acmeTenant = admin.createTenantWithAdmin("acme");
        vdc = admin.createVdc(acmeTenant, "node-p", "acme-p", 100);
        globexVdc = admin.createVdc(admin.createTenantWithAdmin("globex"), "node-p", "globex-p", 100);
    }

    @AfterAll
    void stopSystem() throws IOException {
        if (cluster != null) {
            cluster.close();
        }
        if (nodeProxy != null) {
            nodeProxy.close();
        }
    }

    @Test
    @Order(1)
    void anOvaCutHalfwayResumesAtTheDurableOffsetAndImportsTheVm() throws Exception {
        importedDisk = random(5 * MIB + 123, 1);
        byte[] ova = ova("app01", importedDisk, 4 * GIB, 2, GIB, "00:50:56:11:22:33");

        HttpResponse<byte[]> created = send("POST", "/api/v1/vdcs/" + vdc + "/imports?name=app01&keepMacs=true", acme,
                Map.of("Upload-Length", Long.toString(ova.length), "Tus-Resumable", "1.0.0"), null);
        assertThat(created.statusCode()).as(text(created)).isEqualTo(201);
        String location = created.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith("/api/v1/vdcs/" + vdc + "/imports/");
        String importId = location.substring(location.lastIndexOf('/') + 1);

        // A client that dies after 2 MiB of a request that announced the whole OVA.
        cutPatch(location, 0, ova, (int) (2 * MIB));
        long offset = await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> offsetOf(location), o -> o > 0 && o.equals(offsetOf(location)));
        assertThat(offset).isLessThanOrEqualTo(2 * MIB);
        assertThat(json(send("GET", location, acme, Map.of(), null)).path("state").asString()).isEqualTo("RECEIVING");

        HttpResponse<byte[]> wrong = patch(location, offset + 1, Arrays.copyOfRange(ova, (int) offset + 1, ova.length));
        assertThat(wrong.statusCode()).isEqualTo(409);
        assertThat(json(wrong).path("type").asString()).isEqualTo("urn:vcc:problem:offset-mismatch");

        HttpResponse<byte[]> rest = patch(location, offset, Arrays.copyOfRange(ova, (int) offset, ova.length));
        assertThat(rest.statusCode()).as(text(rest)).isEqualTo(204);
        assertThat(rest.headers().firstValue("Upload-Offset")).hasValue(Long.toString(ova.length));

        JsonNode done = awaitEnd(location);
        assertThat(done.path("state").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
        importedVmId = done.path("importedId").asString();
        JsonNode vm = json(send("GET", "/api/v1/vdcs/" + vdc + "/vms/" + importedVmId, acme, Map.of(), null));
        assertThat(vm.path("name").asString()).isEqualTo("app01");
        assertThat(vm.path("cpus").asInt()).isEqualTo(2);
        assertThat(vm.path("memoryMb").asLong()).isEqualTo(1024);
        assertThat(vm.path("disks").findValuesAsString("capacityBytes")).containsExactly(Long.toString(4 * GIB));
        assertThat(vm.path("nics").get(0).path("mac").asString()).isEqualTo("00:50:56:11:22:33");
        assertThat(sha256(disk(importedVmId, 0))).isEqualTo(sha256(importedDisk));
        assertThat(uploadStaging(importId)).doesNotExist();
    }

    @Test
    @Order(2)
    void aVmwareOvf1PackageWithASha1ManifestImportsInOneRequest() throws Exception {
        Path dir = vmwarePackage("vmware");
        ByteArrayOutputStream ova = new ByteArrayOutputStream();
        new OvaWriter().write(dir.resolve("web01.ovf"), ova);

        String metadata = "keepMacs " + Base64.getEncoder().encodeToString("true".getBytes(StandardCharsets.UTF_8));
        HttpResponse<byte[]> created = send("POST", "/api/v1/vdcs/" + vdc + "/imports", acme,
                Map.of("Content-Type", "application/octet-stream", "Upload-Metadata", metadata), ova.toByteArray());
        assertThat(created.statusCode()).as(text(created)).isEqualTo(201);
        assertThat(created.headers().firstValue("Upload-Offset")).hasValue(Long.toString(ova.size()));

        JsonNode done = awaitEnd(created.headers().firstValue("Location").orElseThrow());
        assertThat(done.path("state").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
        JsonNode vm = assertImportedWeb01(vdc, done.path("importedId").asString(), "web01", dir);
        assertThat(vm.path("nics").findValuesAsString("mac")).containsExactly("00:50:56:8a:3f:01", "00:50:56:8a:3f:02");

        // The VM keeps its disks' format: downloaded again, the package says VMDK, not raw, for the same bytes.
        HttpResponse<byte[]> again = send("GET", "/api/v1/vdcs/" + vdc + "/vms/" + vm.path("id").asString() + "/ova", acme, Map.of(), null);
        assertThat(again.statusCode()).as(text(again)).isEqualTo(200);
        OvfPackage read = new OvaReader().read(new ByteArrayInputStream(again.body()), MemberSink.discarding());
        assertThat(read.envelope().disks()).extracting(VirtualDisk::format)
                .containsExactly(VirtualDisk.VMDK_STREAM_OPTIMIZED, VirtualDisk.VMDK_STREAM_OPTIMIZED);
    }

    @Test
    @Order(8)
    void anOvfDescriptorAndItsFilesUploadOneByOneResumeAfterACutAndImport() throws Exception {
        Path dir = vmwarePackage("vmware-files");
        byte[] descriptor = Files.readAllBytes(dir.resolve("web01.ovf"));
        byte[] disk1 = Files.readAllBytes(dir.resolve("web01-disk1.vmdk"));
        // Its own VDC: the package's disks take half of one.
        String filesVdc = admin.createVdc(acmeTenant, "node-p", "acme-files", 100);
        String imports = "/api/v1/vdcs/" + filesVdc + "/imports";

        HttpResponse<byte[]> created = send("POST", imports, acme, Map.of("Upload-Length", Long.toString(descriptor.length),
                "Upload-Metadata", "filename " + base64("web01.ovf") + ",name " + base64("web01-files")), null);
        assertThat(created.statusCode()).as(text(created)).isEqualTo(201);
        String location = created.headers().firstValue("Location").orElseThrow();
        // The descriptor's files are known only once it is in.
        assertProblem(send("POST", location + "/files?filename=web01.mf", acme, Map.of("Upload-Length", "10"), null),
                409, "invalid-state");
        HttpResponse<byte[]> descriptorSent = patch(location, 0, descriptor);
        assertThat(descriptorSent.statusCode()).as(text(descriptorSent)).isEqualTo(204);

        JsonNode receiving = json(send("GET", location, acme, Map.of(), null));
        assertThat(receiving.path("state").asString()).isEqualTo("RECEIVING");
        assertThat(receiving.path("descriptorName").asString()).isEqualTo("web01.ovf");
        assertThat(receiving.path("files").findValuesAsString("name"))
                .containsExactly("web01-disk1.vmdk", "web01-disk2.vmdk", "web01-file1.nvram", "web01.mf");
        assertThat(receiving.path("files").findValues("length")).allMatch(JsonNode::isNull);

        // A file the descriptor does not name, or with another length than it declares, is refused and changes nothing.
        assertProblem(send("POST", location + "/files", acme, Map.of("Upload-Length", "5",
                "Upload-Metadata", "filename " + base64("../../x")), null), 400, "validation");
        assertProblem(send("POST", location + "/files?filename=web01-disk1.vmdk", acme,
                Map.of("Upload-Length", Long.toString(disk1.length + 1)), null), 400, "validation");
        assertThat(json(send("GET", location, acme, Map.of(), null)).path("files")).isEqualTo(receiving.path("files"));

        HttpResponse<byte[]> diskCreated = send("POST", location + "/files", acme, Map.of("Upload-Length",
                Long.toString(disk1.length), "Upload-Metadata", "filename " + base64("web01-disk1.vmdk")), null);
        assertThat(diskCreated.statusCode()).as(text(diskCreated)).isEqualTo(201);
        String diskAt = diskCreated.headers().firstValue("Location").orElseThrow();
        assertThat(diskAt).isEqualTo(location + "/files/web01-disk1.vmdk");
        // The disk's upload is cut after 2 MiB; it goes on from what the node made durable.
        cutPatch(diskAt, 0, disk1, (int) (2 * MIB));
        long durable = offsetOf(diskAt);
        assertThat(durable).isPositive().isLessThanOrEqualTo(2 * MIB);
        HttpResponse<byte[]> rest = patch(diskAt, durable, Arrays.copyOfRange(disk1, (int) durable, disk1.length));
        assertThat(rest.statusCode()).as(text(rest)).isEqualTo(204);
        assertThat(rest.headers().firstValue("Upload-Offset")).hasValue(Long.toString(disk1.length));
        assertThat(json(send("GET", location, acme, Map.of(), null)).path("state").asString()).isEqualTo("RECEIVING");

        for (String name : List.of("web01-disk2.vmdk", "web01-file1.nvram", "web01.mf")) {
            HttpResponse<byte[]> oneShot = send("POST", location + "/files?filename=" + name, acme,
                    Map.of("Content-Type", "application/offset+octet-stream"), Files.readAllBytes(dir.resolve(name)));
            assertThat(oneShot.statusCode()).as(text(oneShot)).isEqualTo(201);
        }
        JsonNode done = awaitEnd(location);
        assertThat(done.path("state").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
        JsonNode vm = assertImportedWeb01(filesVdc, done.path("importedId").asString(), "web01-files", dir);
        assertThat(vm.path("nics").findValuesAsString("mac")).hasSize(2).doesNotContain("00:50:56:8a:3f:01");
        assertThat(uploadStaging(location.substring(location.lastIndexOf('/') + 1))).doesNotExist();
    }

    @Test
    @Order(9)
    void anOvfUploadWhoseFileDoesNotMatchItsManifestIsRefusedAndLeavesNothing() throws Exception {
        int vmsBefore = vms();
        ova("mism02", random(400_000, 7), GIB, 1, 512 * MIB, null);
        Path dir = work.resolve("pkg-mism02");
        byte[] disk = Files.readAllBytes(dir.resolve("mism02-disk1.img"));
        disk[1000] ^= 0x5a;
        HttpResponse<byte[]> created = send("POST", "/api/v1/vdcs/" + vdc + "/imports?filename=mism02.ovf", acme,
                Map.of("Content-Type", "application/offset+octet-stream"), Files.readAllBytes(dir.resolve("mism02.ovf")));
        assertThat(created.statusCode()).as(text(created)).isEqualTo(201);
        String location = created.headers().firstValue("Location").orElseThrow();
        // Another tenant finds neither the import nor its files.
        assertThat(send("POST", location + "/files?filename=mism02.mf", globex, Map.of("Upload-Length", "10"), null)
                .statusCode()).isEqualTo(404);
        assertThat(send("HEAD", location + "/files/mism02.mf", globex, Map.of(), null).statusCode()).isEqualTo(404);

        assertThat(send("POST", location + "/files?filename=mism02-disk1.img", acme,
                Map.of("Content-Type", "application/offset+octet-stream"), disk).statusCode()).isEqualTo(201);
        assertThat(send("POST", location + "/files?filename=mism02.mf", acme,
                Map.of("Content-Type", "application/offset+octet-stream"), Files.readAllBytes(dir.resolve("mism02.mf")))
                .statusCode()).isEqualTo(201);
        JsonNode done = awaitEnd(location);
        assertThat(done.path("state").asString()).isEqualTo("FAILED");
        assertThat(done.path("problem").path("type").asString()).isEqualTo("urn:vcc:problem:package-not-verified");
        assertThat(vms()).isEqualTo(vmsBefore);
        assertThat(uploadStaging(location.substring(location.lastIndexOf('/') + 1))).doesNotExist();
    }

    /** The VMware OVF 1.x package of {@code vmware-web01.ovf} with its disks, NVRAM and SHA-1 manifest, in {@code work/name}. */
    private Path vmwarePackage(String name) throws IOException {
        byte[] disk1 = random(3 * MIB + 5, 2);
        byte[] disk2 = random(64 * 1024, 3);
        byte[] nvram = random(2048, 4);
        String descriptor = new String(getClass().getResourceAsStream("/ovf/vmware-web01.ovf").readAllBytes(), StandardCharsets.UTF_8)
                .replace("ovf:size=\"1873512448\"", "ovf:size=\"" + disk1.length + "\"")
                .replace("ovf:size=\"68608\"", "ovf:size=\"" + disk2.length + "\"")
                .replace("ovf:size=\"270840\"", "ovf:size=\"" + nvram.length + "\"");
        Path dir = Files.createDirectories(work.resolve(name));
        Files.writeString(dir.resolve("web01.ovf"), descriptor);
        Files.write(dir.resolve("web01-disk1.vmdk"), disk1);
        Files.write(dir.resolve("web01-disk2.vmdk"), disk2);
        Files.write(dir.resolve("web01-file1.nvram"), nvram);
        Files.writeString(dir.resolve("web01.mf"), "SHA1(web01.ovf)= " + sha1(descriptor.getBytes(StandardCharsets.UTF_8)) + "\n"
                + "SHA1(web01-disk1.vmdk)= " + sha1(disk1) + "\n"
                + "SHA1(web01-disk2.vmdk)= " + sha1(disk2) + "\n"
                + "SHA1(web01-file1.nvram)= " + sha1(nvram) + "\n");
        return dir;
    }

    private JsonNode assertImportedWeb01(String vdcId, String vmId, String name, Path dir) throws Exception {
        JsonNode vm = json(send("GET", "/api/v1/vdcs/" + vdcId + "/vms/" + vmId, acme, Map.of(), null));
        assertThat(vm.path("name").asString()).isEqualTo(name);
        assertThat(vm.path("cpus").asInt()).isEqualTo(4);
        assertThat(vm.path("memoryMb").asLong()).isEqualTo(8192);
        assertThat(vm.path("disks").findValuesAsString("capacityBytes"))
                .containsExactly(Long.toString(40 * GIB), Long.toString(10240 * MIB));
        assertThat(vm.path("disks").findValuesAsString("format"))
                .containsExactly(VirtualDisk.VMDK_STREAM_OPTIMIZED, VirtualDisk.VMDK_STREAM_OPTIMIZED);
        assertThat(sha256(disk(vmId, 0))).isEqualTo(sha256(Files.readAllBytes(dir.resolve("web01-disk1.vmdk"))));
        assertThat(sha256(disk(vmId, 1))).isEqualTo(sha256(Files.readAllBytes(dir.resolve("web01-disk2.vmdk"))));
        return vm;
    }

    private static void assertProblem(HttpResponse<byte[]> response, int status, String type) {
        assertThat(response.statusCode()).as(text(response)).isEqualTo(status);
        assertThat(json(response).path("type").asString()).isEqualTo("urn:vcc:problem:" + type);
    }

    private static String base64(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    @Order(3)
    void theVmDownloadsAsAByteStableOvaWholeAndByRange() throws Exception {
        String path = "/api/v1/vdcs/" + vdc + "/vms/" + importedVmId + "/ova";
        HttpResponse<byte[]> whole = send("GET", path, acme, Map.of(), null);
        assertThat(whole.statusCode()).as(text(whole)).isEqualTo(200);
        byte[] ova = whole.body();
        String etag = whole.headers().firstValue("ETag").orElseThrow();
        assertThat(etag).matches("\"[0-9a-f]{64}\"");
        assertThat(whole.headers().firstValue("Accept-Ranges")).hasValue("bytes");
        assertThat(whole.headers().firstValue("Content-Length")).hasValue(Long.toString(ova.length));
        Path extracted = work.resolve("download");
        OvfPackage read = new OvaReader().extract(new ByteArrayInputStream(ova), extracted);
        String diskName = read.envelope().files().get(0).href();
        assertThat(sha256(Files.readAllBytes(extracted.resolve(diskName)))).isEqualTo(sha256(importedDisk));
        assertThat(read.envelope().virtualSystems().get(0).hardware().cpus()).isEqualTo(2);

        HttpResponse<byte[]> part = send("GET", path, acme, Map.of("Range", "bytes=1000-1048575"), null);
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.headers().firstValue("Content-Range")).hasValue("bytes 1000-1048575/" + ova.length);
        assertThat(part.body()).isEqualTo(Arrays.copyOfRange(ova, 1000, 1048576));

        // A download cut at 3 MiB resumes with If-Range and gets exactly the rest.
        HttpResponse<byte[]> tail = send("GET", path, acme, Map.of("Range", "bytes=" + 3 * MIB + "-", "If-Range", etag), null);
        assertThat(tail.statusCode()).isEqualTo(206);
        assertThat(tail.headers().firstValue("ETag")).hasValue(etag);
        assertThat(tail.body()).isEqualTo(Arrays.copyOfRange(ova, (int) (3 * MIB), ova.length));

        HttpResponse<byte[]> stale = send("GET", path, acme, Map.of("Range", "bytes=0-99", "If-Range", "\"0000\""), null);
        assertThat(stale.statusCode()).isEqualTo(200);
        assertThat(stale.body()).isEqualTo(ova);

        HttpResponse<byte[]> beyond = send("GET", path, acme, Map.of("Range", "bytes=" + ova.length + "-"), null);
        assertThat(beyond.statusCode()).isEqualTo(416);
        assertThat(beyond.headers().firstValue("Content-Range")).hasValue("bytes */" + ova.length);
        assertThat(json(beyond).path("type").asString()).isEqualTo("urn:vcc:problem:range-not-satisfiable");

        // Range headers the node cannot serve are ignored (RFC 9110 allows it), whatever their size or bytes
        HttpResponse<byte[]> many = send("GET", path, acme, Map.of("Range", "bytes=" + "0-1,".repeat(1500) + "0-1"), null);
        assertThat(many.statusCode()).as(text(many)).isEqualTo(200);
        assertThat(many.body()).isEqualTo(ova);
        HttpResponse<byte[]> odd = send("GET", path, acme, Map.of("Range", "bytes=0-99", "If-Range", "\"" + "e".repeat(3000) + "\""), null);
        assertThat(odd.statusCode()).as(text(odd)).isEqualTo(200);
        assertThat(odd.body()).isEqualTo(ova);
        HttpResponse<byte[]> huge = send("GET", path, acme, Map.of("Range", "bytes=" + "9".repeat(9000) + "-"), null);
        assertThat(huge.headers().firstValue("Content-Type")).as(text(huge)).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(huge.statusCode()).isBetween(400, 499);

        assertThat(send("GET", path, globex, Map.of(), null).statusCode()).isEqualTo(404);
        assertThat(send("GET", "/api/v1/vdcs/" + globexVdc + "/vms/" + importedVmId + "/ova", globex, Map.of(), null).statusCode())
                .isEqualTo(404);
    }

    @Test
    @Order(4)
    void hostilePackagesAreRefusedWithTheirProblemTypeAndLeaveNothing() throws Exception {
        int vmsBefore = vms();
        byte[] disk = random(300_000, 5);

        byte[] xxe = ("<?xml version=\"1.0\"?><!DOCTYPE Envelope [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<Envelope xmlns=\"http://schemas.dmtf.org/ovf/envelope/1\">&x;</Envelope>").getBytes(StandardCharsets.UTF_8);
        byte[] evil = tar(List.of(Map.entry("evil.ovf", xxe), Map.entry("disk.img", disk)));
        assertRefused(evil, "package-unsafe", true);
        // The same in one request (tus creation-with-upload): the problem, and where the refused import is.
        HttpResponse<byte[]> oneShot = send("POST", "/api/v1/vdcs/" + vdc + "/imports", acme,
                Map.of("Content-Type", "application/octet-stream"), evil);
        assertThat(oneShot.statusCode()).as(text(oneShot)).isEqualTo(422);
        assertThat(json(oneShot).path("type").asString()).isEqualTo("urn:vcc:problem:package-unsafe");
        String refusedAt = oneShot.headers().firstValue("Location").orElseThrow();
        assertThat(json(send("GET", refusedAt, acme, Map.of(), null)).path("state").asString()).isEqualTo("FAILED");
        assertThat(uploadStaging(refusedAt.substring(refusedAt.lastIndexOf('/') + 1))).doesNotExist();

        byte[] good = ova("trav01", disk, GIB, 1, 512 * MIB, null);
        byte[] traversal = withExtraMember(good, "../../x", "owned".getBytes(StandardCharsets.UTF_8));
        assertRefused(traversal, "package-unsafe", false);
        assertThat(cluster.home("node-p", "vcc-node").resolve("x")).doesNotExist();
        assertThat(cluster.home("node-p", "vcc-node").resolve("staging").resolve("x")).doesNotExist();

        byte[] mismatched = ova("mism01", disk, GIB, 1, 512 * MIB, null);
        int diskAt = indexOf(mismatched, Arrays.copyOfRange(disk, 0, 64));
        mismatched[diskAt + 1000] ^= 0x5a;
        assertRefused(mismatched, "package-not-verified", false);

        // Refused as soon as the descriptor is in, before the disk is sent.
        byte[] huge = ova("huge01", disk, 500 * GIB, 1, 512 * MIB, null);
        assertRefused(huge, 16 * 1024, "quota-exceeded", true);

        assertThat(vms()).isEqualTo(vmsBefore);
        try (var staged = Files.list(cluster.home("node-p", "vcc-node").resolve("staging").resolve("uploads"))) {
            assertThat(staged.toList()).isEmpty();
        }
    }

    @Test
    @Order(5)
    void anotherTenantFindsNoImportAndBadRequestsAreRefused() throws Exception {
        byte[] ova = ova("other01", random(100_000, 6), GIB, 1, 512 * MIB, null);
        HttpResponse<byte[]> created = send("POST", "/api/v1/vdcs/" + vdc + "/imports", acme,
                Map.of("Upload-Length", Long.toString(ova.length)), null);
        assertThat(created.statusCode()).isEqualTo(201);
        String location = created.headers().firstValue("Location").orElseThrow();
        String importId = location.substring(location.lastIndexOf('/') + 1);

        assertThat(send("HEAD", location, globex, Map.of(), null).statusCode()).isEqualTo(404);
        assertThat(send("GET", location, globex, Map.of(), null).statusCode()).isEqualTo(404);
        assertThat(send("PATCH", location, globex, Map.of("Upload-Offset", "0", "Content-Type",
                "application/offset+octet-stream"), ova).statusCode()).isEqualTo(404);
        assertThat(send("DELETE", location, globex, Map.of(), null).statusCode()).isEqualTo(404);
        assertThat(send("POST", "/api/v1/vdcs/" + vdc + "/imports", globex, Map.of("Upload-Length", "10"), null).statusCode())
                .isEqualTo(404);
        // The import id under a VDC of the other tenant is not found either.
        assertThat(send("GET", "/api/v1/vdcs/" + globexVdc + "/imports/" + importId, globex, Map.of(), null).statusCode())
                .isEqualTo(404);

        HttpResponse<byte[]> ahead = patch(location, 10, Arrays.copyOfRange(ova, 10, ova.length));
        assertThat(ahead.statusCode()).isEqualTo(409);
        assertThat(json(ahead).path("type").asString()).isEqualTo("urn:vcc:problem:offset-mismatch");
        assertThat(send("PATCH", location, acme, Map.of("Upload-Offset", "0", "Content-Type", "application/json"), ova)
                .statusCode()).isEqualTo(415);
        assertThat(send("PATCH", location, acme, Map.of("Upload-Offset", "0", "Tus-Resumable", "0.2.2",
                "Content-Type", "application/offset+octet-stream"), ova).statusCode()).isEqualTo(412);
        HttpResponse<byte[]> head = send("HEAD", location, acme, Map.of(), null);
        assertThat(head.headers().firstValue("Upload-Offset")).hasValue("0");
        assertThat(head.headers().firstValue("Upload-Length")).hasValue(Long.toString(ova.length));

        assertThat(send("DELETE", location, acme, Map.of(), null).statusCode()).isEqualTo(204);
        assertThat(send("GET", location, acme, Map.of(), null).statusCode()).isEqualTo(404);
        assertThat(uploadStaging(importId)).doesNotExist();
        assertThat(Api.anonymous(server).get("/v3/api-docs").body())
                .contains("/api/v1/vdcs/{id}/imports/{importId}", "/api/v1/vdcs/{id}/vms/{vmId}/ova", "Upload-Offset");
    }

    // ---- helpers -------------------------------------------------------------------------------------

    /** Uploads {@code ova} (created, then one PATCH) and expects it refused with {@code type}. */
    @Test
    @Order(7)
    void aCutBetweenServerAndNodeMidUploadLosesNothingAndTheUploadResumes() throws Exception {
        byte[] disk = random(9 * MIB + 77, 7);
        byte[] ova = ova("app07", disk, GIB, 1, GIB, "00:50:56:11:22:77");
        HttpResponse<byte[]> created = send("POST", "/api/v1/vdcs/" + vdc + "/imports?name=app07", acme,
                Map.of("Upload-Length", Long.toString(ova.length), "Tus-Resumable", "1.0.0"), null);
        String location = created.headers().firstValue("Location").orElseThrow();

        try (Socket client = startPatch(location, 0, ova, (int) (4 * MIB))) {
            // The node has made part of it durable while the user's request is still open; then the link
            // between server and node breaks.
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> offsetOf(location) > 0);
            nodeProxy.cutAll();
            // The user goes on sending, as an uploading client does, until the server answers: its writes towards
            // the node meet the cut. (Had every byte already been forwarded, nothing would show the server the cut
            // until the user sent more, and a user who stalls too gets Tomcat's 408 after its read timeout instead;
            // one more MiB was not always enough for the server to see the cut.)
            try {
                for (int at = (int) (4 * MIB); at < ova.length && client.getInputStream().available() == 0; at += 256 * 1024) {
                    client.getOutputStream().write(ova, at, Math.min(256 * 1024, ova.length - at));
                    client.getOutputStream().flush();
                }
            } catch (IOException answeredAlready) {
                // the server noticed the cut and ended the request
            }

            // Generous: the answer only has to come, and a loaded 2-core machine can take its time noticing the cut.
            client.setSoTimeout(60_000);
            String statusLine = new String(client.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            assertThat(statusLine).as("the user's request ends with the server's answer").startsWith("HTTP/1.1 5");
        }

        long offset = await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> offsetOf(location), o -> o > 0 && o.equals(offsetOf(location)));
        assertThat(offset).isLessThanOrEqualTo(4 * MIB);
        HttpResponse<byte[]> rest = patch(location, offset, Arrays.copyOfRange(ova, (int) offset, ova.length));
        assertThat(rest.statusCode()).as(text(rest)).isEqualTo(204);

        JsonNode done = awaitEnd(location);
        assertThat(done.path("state").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
        assertThat(sha256(disk(done.path("importedId").asString(), 0))).isEqualTo(sha256(disk));
    }

    @Test
    @Order(10)
    void aNodeThatStopsAnsweringMidUploadFreesTheRequestWithAProblemAndTheUploadResumes() throws Exception {
        // Larger than what the socket buffers between server and node hold, so the node cannot have it all.
        byte[] disk = random(40 * MIB + 78, 8);
        byte[] ova = ova("app08", disk, GIB, 1, GIB, "00:50:56:11:22:78");
        HttpResponse<byte[]> created = send("POST", "/api/v1/vdcs/" + vdc + "/imports?name=app08", acme,
                Map.of("Upload-Length", Long.toString(ova.length), "Tus-Resumable", "1.0.0"), null);
        String location = created.headers().firstValue("Location").orElseThrow();

        try (Socket client = startPatch(location, 0, ova, (int) (4 * MIB))) {
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> offsetOf(location) > 0);
            // The node hangs: the connection stays open, nothing moves either way. The user goes on sending
            // (until the buffers between are full), so it is the node the request waits for.
            nodeProxy.freezeAll();
            Thread sender = new Thread(() -> {
                try {
                    client.getOutputStream().write(ova, (int) (4 * MIB), ova.length - (int) (4 * MIB));
                } catch (IOException answeredOrClosed) {
                    // the server answered and closed, or the test is over
                }
            });
            sender.setDaemon(true);
            sender.start();
            client.setSoTimeout(120_000);
            String answer = new String(client.getInputStream().readNBytes(4096), StandardCharsets.UTF_8);
            assertThat(answer).as("the user's request ends with the server's answer").startsWith("HTTP/1.1 503")
                    .contains("application/problem+json").contains("urn:vcc:problem:node-unavailable").contains("stopped answering");
        } finally {
            // The hung node's connection goes (it is restarted, or its TCP gives up).
            nodeProxy.cutAll();
            nodeProxy.thaw();
        }

        // The node keeps what it made durable; the upload goes on from there.
        HttpResponse<byte[]> rest = await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                .until(() -> {
                    long offset = offsetOf(location);
                    return patch(location, offset, Arrays.copyOfRange(ova, (int) offset, ova.length));
                }, response -> response.statusCode() == 204);
        assertThat(rest.statusCode()).isEqualTo(204);
        JsonNode done = awaitEnd(location);
        assertThat(done.path("state").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
        assertThat(sha256(disk(done.path("importedId").asString(), 0))).isEqualTo(sha256(disk));
    }

    @Test
    @Order(11)
    void anUploadLargerThanTheNodesStagingBudgetIsRefusedAsStagingFullAndLeavesNothing() throws Exception {
        int before = vms();
        HttpResponse<byte[]> refused = send("POST", "/api/v1/vdcs/" + vdc + "/imports", acme,
                Map.of("Upload-Length", Long.toString(2 * GIB), "Tus-Resumable", "1.0.0"), null);

        assertProblem(refused, 507, "staging-full");
        assertThat(json(refused).path("detail").asString()).contains("needs " + 2 * GIB);
        assertThat(refused.headers().firstValue("Location")).isEmpty();
        assertThat(vms()).isEqualTo(before);
    }

    private void assertRefused(byte[] ova, String type, boolean onThePatch) throws Exception {
        assertRefused(ova, ova.length, type, onThePatch);
    }

    /** Creates an import of {@code ova}, sends its first {@code sent} bytes and expects it refused with {@code type}. */
    private void assertRefused(byte[] ova, int sent, String type, boolean onThePatch) throws Exception {
        HttpResponse<byte[]> created = send("POST", "/api/v1/vdcs/" + vdc + "/imports", acme,
                Map.of("Upload-Length", Long.toString(ova.length)), null);
        assertThat(created.statusCode()).as(text(created)).isEqualTo(201);
        String location = created.headers().firstValue("Location").orElseThrow();
        String importId = location.substring(location.lastIndexOf('/') + 1);
        HttpResponse<byte[]> patched = patch(location, 0, Arrays.copyOf(ova, sent));
        if (onThePatch) {
            assertThat(json(patched).path("type").asString()).as(text(patched)).isEqualTo("urn:vcc:problem:" + type);
        }
        JsonNode done = awaitEnd(location);
        assertThat(done.path("state").asString()).as(done.toString()).isEqualTo("FAILED");
        assertThat(done.path("problem").path("type").asString()).as(done.toString()).isEqualTo("urn:vcc:problem:" + type);
        assertThat(done.path("importedId").isNull() || done.path("importedId").isMissingNode()).isTrue();
        assertThat(uploadStaging(importId)).doesNotExist();
    }

    @Test
    @Order(12)
    void aRefusalReachesAClientThatReadsTheAnswerOnlyAfterSendingTheWholeBody() throws Exception {
        // Most scripts' HTTP libraries send the whole body before they read. The node refuses this package (two
        // virtual systems as one VM) once it has read the descriptor, with 24 MiB of the body still to come: the
        // server and the node must read that rest rather than cut the connection, or the client gets a reset.
        byte[] suite = suiteOva(random(MIB + 9, 13), random(24 * MIB + 5, 14));
        int vmsBefore = vms();
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), serverPort)) {
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/vdcs/" + vdc + "/imports HTTP/1.1\r\nHost: localhost:" + serverPort + "\r\nAuthorization: "
                    + acme + "\r\nContent-Type: application/octet-stream\r\nContent-Length: " + suite.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(suite);
            // A second request on the same connection: its answer shows the connection outlived the refusal.
            out.write(("GET /api/v1/vdcs/" + vdc + "/vms HTTP/1.1\r\nHost: localhost:" + serverPort + "\r\nAuthorization: "
                    + acme + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answers = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answers).startsWith("HTTP/1.1 422").contains("application/problem+json")
                    .contains("urn:vcc:problem:package-unsupported");
            assertThat(answers.indexOf("HTTP/1.1 200")).as(answers).isGreaterThan(0);
        }
        assertThat(vms()).isEqualTo(vmsBefore);
    }

    @Test
    @Order(6)
    void aPackageOfTwoVirtualSystemsBecomesACatalogTemplateOrAVappButNotOneVm() throws Exception {
        byte[] frontend = random(MIB + 7, 11);
        byte[] backend = random(2 * MIB + 3, 12);
        byte[] suite = suiteOva(frontend, backend);

        HttpResponse<byte[]> asVm = send("POST", "/api/v1/vdcs/" + vdc + "/imports", acme,
                Map.of("Content-Type", "application/octet-stream"), suite);
        assertThat(asVm.statusCode()).as(text(asVm)).isEqualTo(422);
        assertThat(json(asVm).path("type").asString()).isEqualTo("urn:vcc:problem:package-unsupported");

        HttpResponse<byte[]> asTemplate = send("POST", "/api/v1/vdcs/" + vdc + "/imports?kind=TEMPLATE&name=suite-v1", acme,
                Map.of("Content-Type", "application/octet-stream"), suite);
        assertThat(asTemplate.statusCode()).as(text(asTemplate)).isEqualTo(201);
        JsonNode template = awaitEnd(asTemplate.headers().firstValue("Location").orElseThrow());
        assertThat(template.path("state").asString()).as(template.toString()).isEqualTo("SUCCEEDED");
        assertThat(template.path("kind").asString()).isEqualTo("TEMPLATE");
        JsonNode inCatalog = json(send("GET", "/api/v1/vdcs/" + vdc + "/templates/" + template.path("importedId").asString(), acme, Map.of(), null));
        assertThat(inCatalog.path("name").asString()).isEqualTo("suite-v1");
        assertThat(inCatalog.path("vms").findValuesAsString("name")).containsExactly("backend", "frontend");
        assertThat(sha256(disk(inCatalog.path("vms").get(1).path("id").asString(), 0))).isEqualTo(sha256(frontend));
        HttpResponse<byte[]> download = send("GET", "/api/v1/vdcs/" + vdc + "/templates/" + inCatalog.path("id").asString() + "/ova",
                acme, Map.of(), null);
        assertThat(download.statusCode()).as(text(download)).isEqualTo(200);
        Path extracted = Files.createDirectories(work.resolve("template-download"));
        OvfPackage downloaded = new OvaReader().extract(new ByteArrayInputStream(download.body()), extracted);
        assertThat(downloaded.envelope().content().name()).isEqualTo("suite-v1");
        assertThat(downloaded.envelope().virtualSystems()).extracting(VirtualSystem::name).containsExactly("backend", "frontend");
        assertThat(sha256(extracted.resolve("frontend-disk0.img"))).isEqualTo(sha256(frontend));
        HttpResponse<byte[]> tail = send("GET", "/api/v1/vdcs/" + vdc + "/templates/" + inCatalog.path("id").asString() + "/ova",
                acme, Map.of("Range", "bytes=-100"), null);
        assertThat(tail.statusCode()).isEqualTo(206);
        assertThat(tail.body()).isEqualTo(Arrays.copyOfRange(download.body(), download.body().length - 100, download.body().length));
        assertThat(send("GET", "/api/v1/vdcs/" + vdc + "/templates/" + inCatalog.path("id").asString() + "/ova", globex, Map.of(), null)
                .statusCode()).isEqualTo(404);

        HttpResponse<byte[]> asVapp = send("POST", "/api/v1/vdcs/" + vdc + "/imports?kind=VAPP&name=suite", acme,
                Map.of("Content-Type", "application/octet-stream"), suite);
        JsonNode vapp = awaitEnd(asVapp.headers().firstValue("Location").orElseThrow());
        assertThat(vapp.path("state").asString()).as(vapp.toString()).isEqualTo("SUCCEEDED");
        JsonNode vms = json(send("GET", "/api/v1/vdcs/" + vdc + "/vms", acme, Map.of(), null));
        String backendId = null;
        for (JsonNode vm : vms) {
            if (vm.path("vappId").asString().equals(vapp.path("importedId").asString()) && vm.path("name").asString().equals("backend")) {
                backendId = vm.path("id").asString();
            }
        }
        assertThat(backendId).as("the vApp's backend VM in " + vms).isNotNull();
        assertThat(sha256(disk(backendId, 0))).isEqualTo(sha256(backend));
    }

    /** A vendor-style package: a collection of two virtual systems, each with one disk. */
    private byte[] suiteOva(byte[] frontend, byte[] backend) throws IOException {
        Path dir = Files.createDirectories(work.resolve("pkg-suite"));
        Files.write(dir.resolve("frontend.img"), frontend);
        Files.write(dir.resolve("backend.img"), backend);
        StorageController scsi = new StorageController(ControllerType.SCSI, "lsilogic", 0);
        OvfEnvelope envelope = new OvfEnvelope(
                List.of(new FileReference("f1", "frontend.img", null), new FileReference("f2", "backend.img", null)),
                List.of(new VirtualDisk("d1", "f1", GIB, VirtualDisk.VMDK_STREAM_OPTIMIZED, null),
                        new VirtualDisk("d2", "f2", GIB, VirtualDisk.VMDK_STREAM_OPTIMIZED, null)),
                List.of(new OvfNetwork("app-net", "the application network")),
                new VirtualSystemCollection("suite", "suite", null, List.of(
                        new VirtualSystem("frontend", "frontend", null, null, new VirtualHardware("vmx-13", 1, GIB,
                                List.of(new DiskAttachment("d1", scsi, 0)), List.of(new NetworkAdapter("app-net", null, "VmxNet3")))),
                        new VirtualSystem("backend", "backend", null, null, new VirtualHardware("vmx-13", 1, GIB,
                                List.of(new DiskAttachment("d2", scsi, 0)), List.of(new NetworkAdapter("app-net", null, "VmxNet3")))))));
        new OvfPackageWriter().write(dir, "suite.ovf", envelope);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new OvaWriter().write(dir.resolve("suite.ovf"), out);
        return out.toByteArray();
    }

    private byte[] ova(String name, byte[] disk, long capacity, int cpus, long memory, String mac) throws IOException {
        Path dir = Files.createDirectories(work.resolve("pkg-" + name));
        Files.write(dir.resolve(name + "-disk1.img"), disk);
        OvfEnvelope envelope = new OvfEnvelope(List.of(new FileReference("file1", name + "-disk1.img", null)),
                List.of(new VirtualDisk("disk1", "file1", capacity, VirtualDisk.VMDK_STREAM_OPTIMIZED, null)),
                List.of(new OvfNetwork("app-net", "the application network")),
                new VirtualSystem(name, name, null, null, new VirtualHardware("vmx-13", cpus, memory,
                        List.of(new DiskAttachment("disk1", new StorageController(ControllerType.SCSI, "lsilogic", 0), 0)),
                        List.of(new NetworkAdapter("app-net", mac, "VmxNet3")))));
        new OvfPackageWriter().write(dir, name + ".ovf", envelope);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new OvaWriter().write(dir.resolve(name + ".ovf"), out);
        return out.toByteArray();
    }

    /** The OVA with one more member appended after its last file. */
    private static byte[] withExtraMember(byte[] ova, String name, byte[] content) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (var in = new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(new ByteArrayInputStream(ova));
             TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            for (TarArchiveEntry entry; (entry = in.getNextEntry()) != null; ) {
                tar.putArchiveEntry(entry);
                in.transferTo(tar);
                tar.closeArchiveEntry();
            }
            TarArchiveEntry extra = new TarArchiveEntry(name, true);
            extra.setSize(content.length);
            tar.putArchiveEntry(extra);
            tar.write(content);
            tar.closeArchiveEntry();
        }
        return out.toByteArray();
    }

    private static byte[] tar(List<Map.Entry<String, byte[]>> members) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            for (Map.Entry<String, byte[]> member : members) {
                TarArchiveEntry entry = new TarArchiveEntry(member.getKey());
                entry.setSize(member.getValue().length);
                tar.putArchiveEntry(entry);
                tar.write(member.getValue());
                tar.closeArchiveEntry();
            }
        }
        return out.toByteArray();
    }

    /** Sends a PATCH announcing the rest of the OVA but writes only {@code bytes} of it, then drops the connection. */
    private void cutPatch(String location, long offset, byte[] ova, int bytes) throws Exception {
        try (Socket socket = startPatch(location, offset, ova, bytes)) {
            Thread.sleep(1000);
        }
    }

    /** Opens a PATCH announcing the rest of the OVA and writes {@code bytes} of it; the caller holds the connection. */
    private Socket startPatch(String location, long offset, byte[] ova, int bytes) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), serverPort);
        OutputStream out = socket.getOutputStream();
        out.write(("PATCH " + location + " HTTP/1.1\r\nHost: localhost:" + serverPort + "\r\nAuthorization: " + acme
                + "\r\nTus-Resumable: 1.0.0\r\nUpload-Offset: " + offset
                + "\r\nContent-Type: application/offset+octet-stream\r\nContent-Length: " + (ova.length - offset)
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(ova, (int) offset, bytes);
        out.flush();
        return socket;
    }

    private HttpResponse<byte[]> patch(String location, long offset, byte[] body) throws Exception {
        return send("PATCH", location, acme, Map.of("Upload-Offset", Long.toString(offset), "Tus-Resumable", "1.0.0",
                "Content-Type", "application/offset+octet-stream"), body);
    }

    private int vms() throws Exception {
        return json(send("GET", "/api/v1/vdcs/" + vdc + "/vms", acme, Map.of(), null)).size();
    }

    private Path disk(String vmId, int index) {
        return cluster.home("node-p", "vcc-node").resolve("disks").resolve(vmId).resolve("disk-" + index + ".img");
    }

    private Path uploadStaging(String importId) {
        return cluster.home("node-p", "vcc-node").resolve("staging").resolve("uploads").resolve(importId);
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

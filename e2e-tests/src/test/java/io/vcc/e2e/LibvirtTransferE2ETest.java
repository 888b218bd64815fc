package io.vcc.e2e;

import static io.vcc.e2e.Digests.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vcc.ovf.ControllerType;
import io.vcc.ovf.DiskAttachment;
import io.vcc.ovf.FileReference;
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
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.libvirt.Connect;
import org.libvirt.Library;
import org.libvirt.LibvirtException;
import tools.jackson.databind.JsonNode;

/**
 * Transfers between a node whose hypervisor is libvirt ({@code test:///default}, in this JVM) and a node with
 * the simulated cloud, through the server's API: VMs keep their hardware and the bytes of their disks, and
 * a VM moved to the libvirt node is a libvirt domain there, as are the VMs of a template in its catalog. Skipped
 * without libvirt0, unless {@code VCC_REQUIRE_LIBVIRT=1}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LibvirtTransferE2ETest {

    private static final int MIB = 1024 * 1024;
    private static final long GIB = 1024L * MIB;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Pattern SOURCE_FILE = Pattern.compile("<source file='([^']+)'/>");

    @TempDir
    static Path home;

    private VccCluster cluster;
    private Connect libvirt;
    private Api admin;
    private Api acme;
    private String libvirtVdc;
    private String simVdc;
    private String server;
    private String tenant;

    @BeforeAll
    void startSystem() throws LibvirtException {
        requireLibvirt();
        cluster = new VccCluster(home);
        int serverPort = VccCluster.freePort();
        server = "http://localhost:" + serverPort;
        cluster.server(serverPort, "--vcc.transfers.chunk-size=1MB", "--vcc.transfers.poll-interval=300ms",
                "--db-scheduler.polling-interval=200ms");
        admin = Api.basic(server, "admin", VccCluster.ADMIN_PASSWORD);
        startNode("node-libvirt", server, "--vcc.adapters.hypervisor=libvirt", "--vcc.libvirt.uri=test:///default");
        startNode("node-sim", server);
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                assertThat(admin.get("/api/v1/nodes").json().findValuesAsString("status")).containsOnly("RUNNING").hasSize(2));
        tenant = admin.post("/api/v1/tenants", "{\"name\":\"acme\"}").json().path("id").asString();
        assertThat(admin.post("/api/v1/tenants/" + tenant + "/users",
                "{\"username\":\"acme-admin\",\"password\":\"acme-password-1\",\"role\":\"TENANT_ADMIN\"}").status()).isEqualTo(201);
        acme = Api.basic(server, "acme-admin", "acme-password-1");
        libvirtVdc = vdc(tenant, "node-libvirt", "acme-lv");
        simVdc = vdc(tenant, "node-sim", "acme-sim");
        // The node's connection keeps test:///default's state; this one sees the same domains.
        libvirt = new Connect("test:///default");
    }

    private static void requireLibvirt() {
        try {
            Library.getVersion();
        } catch (LinkageError | LibvirtException e) {
            String message = "libvirt.so.0 cannot be loaded (install libvirt0): " + e;
            if ("1".equals(System.getenv("VCC_REQUIRE_LIBVIRT"))) {
                fail(message + "; VCC_REQUIRE_LIBVIRT=1 requires it");
            }
            System.out.println("Skipping: " + message + "; skipping the libvirt e2e test");
            assumeTrue(false, message + "; skipping the libvirt e2e test");
        }
    }

    /** The node converts packages' disks with qemu-img, and these tests make their images with it (Debian: qemu-utils). */
    private static void requireQemuImg() {
        String problem;
        try {
            Process version = new ProcessBuilder("qemu-img", "--version").redirectErrorStream(true).start();
            version.getInputStream().readAllBytes();
            problem = version.waitFor() == 0 ? null : "qemu-img --version failed";
        } catch (IOException e) {
            problem = "qemu-img cannot run (install qemu-utils): " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            problem = "interrupted";
        }
        if (problem != null) {
            if ("1".equals(System.getenv("VCC_REQUIRE_LIBVIRT"))) {
                fail(problem + "; VCC_REQUIRE_LIBVIRT=1 requires it");
            }
            System.out.println("Skipping: " + problem + "; skipping this test");
            assumeTrue(false, problem + "; skipping this test");
        }
    }

    private void startNode(String name, String server, String... extra) {
        int port = VccCluster.freePort();
        String token = admin.post("/api/v1/node-registrations", "{\"note\":\"" + name + "\"}").text("token");
        cluster.vccNode(name, port, "http://127.0.0.1:" + port, server, token, "PUBLIC", extra);
    }

    @AfterAll
    void stopSystem() throws LibvirtException {
        if (libvirt != null) {
            libvirt.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void copiesALibvirtVmToTheSimulatedCloud() throws Exception {
        JsonNode vm = created(acme.post("/api/v1/vdcs/" + libvirtVdc + "/vms", "{\"name\":\"lv-web\",\"cpus\":2,\"memoryMb\":1024,\"diskGb\":1}"));
        String vmId = vm.path("id").asString();
        Path image = domainImage(vmId);
        assertThat(image).startsWith(cluster.home("node-libvirt", "vcc-node").resolve("libvirt-images"));
        // Data at both ends of the 1 GiB thin disk: every copy of it is as long as the disk.
        try (RandomAccessFile file = new RandomAccessFile(image.toFile(), "rw")) {
            file.write(random(4 * MIB, 1));
            file.seek(GIB - MIB);
            file.write(random(MIB, 2));
        }
        assertThat(Files.size(image)).isEqualTo(GIB);
        String sourceDigest = sha256(image);

        JsonNode done = transfer(libvirtVdc, "vmId", vmId, simVdc, "COPY");

        JsonNode copy = targetVm(done, simVdc);
        assertThat(sha256(cluster.home("node-sim", "vcc-node").resolve("disks").resolve(copy.path("id").asString())
                .resolve("disk-0.img"))).isEqualTo(sourceDigest);
        assertSameHardware(copy, vm);
        assertThat(acme.get("/api/v1/vdcs/" + libvirtVdc + "/vms").json().findValuesAsString("id")).contains(vmId);
        assertThat(sha256(image)).as("the source is left as it was").isEqualTo(sourceDigest);
    }

    @Test
    void movesASimulatedVmToLibvirtAsADomainWithItsMac() throws Exception {
        JsonNode vm = created(acme.post("/api/v1/vdcs/" + simVdc + "/vms", "{\"name\":\"sim-db\",\"cpus\":3,\"memoryMb\":1536,\"diskGb\":1}"));
        String vmId = vm.path("id").asString();
        Path disk = cluster.home("node-sim", "vcc-node").resolve("disks").resolve(vmId).resolve("disk-0.img");
        // As above: a raw image is as long as its disk, so the source's file is the whole disk.
        try (RandomAccessFile file = new RandomAccessFile(disk.toFile(), "rw")) {
            file.write(random(8 * MIB, 3));
            file.seek(GIB - MIB);
            file.write(random(MIB, 4));
        }
        assertThat(Files.size(disk)).isEqualTo(GIB);
        String sourceDigest = sha256(disk);

        JsonNode done = transfer(simVdc, "vmId", vmId, libvirtVdc, "MOVE");

        JsonNode moved = targetVm(done, libvirtVdc);
        String movedId = moved.path("id").asString();
        assertThat(acme.get("/api/v1/vdcs/" + libvirtVdc + "/vms").json().findValuesAsString("id")).contains(movedId);
        String xml = libvirt.domainLookupByUUIDString(movedId).getXMLDesc(0);
        assertThat(xml).contains("urn:vcc:node:libvirt:1", "<title>sim-db</title>");
        assertThat(sha256(domainImage(movedId))).isEqualTo(sourceDigest);
        assertSameHardware(moved, vm);
        assertThat(mac(moved)).isEqualTo(mac(vm));
        assertThat(xml).contains("<mac address='" + mac(vm) + "'/>");
        assertThat(acme.get("/api/v1/vdcs/" + simVdc + "/vms/" + vmId).status()).isEqualTo(404);
    }

    @Test
    void movesAVappFromLibvirtToTheSimulatedCloudAndBack() throws Exception {
        JsonNode web = created(acme.post("/api/v1/vdcs/" + libvirtVdc + "/vms",
                "{\"name\":\"web\",\"cpus\":1,\"memoryMb\":512,\"diskGb\":1,\"vapp\":\"shop\"}"));
        JsonNode db = created(acme.post("/api/v1/vdcs/" + libvirtVdc + "/vms",
                "{\"name\":\"db\",\"cpus\":2,\"memoryMb\":768,\"diskGb\":1,\"vapp\":\"shop\"}"));
        String vapp = web.path("vappId").asString();
        assertThat(db.path("vappId").asString()).isEqualTo(vapp);
        Map<String, String> digests = new HashMap<>();
        for (JsonNode vm : List.of(web, db)) {
            Path image = domainImage(vm.path("id").asString());
            try (RandomAccessFile file = new RandomAccessFile(image.toFile(), "rw")) {
                file.write(random(2 * MIB, vm.path("cpus").asInt() + 10));
                file.seek(GIB - MIB);
                file.write(random(MIB, vm.path("cpus").asInt() + 20));
            }
            digests.put(vm.path("name").asString(), sha256(image));
        }

        JsonNode there = transfer(libvirtVdc, "vappId", vapp, simVdc, "MOVE");

        List<JsonNode> onSim = vappVms(simVdc, there.path("outputs").path("targetVappId").asString());
        assertThat(onSim).extracting(vm -> vm.path("name").asString()).containsExactly("db", "web");
        for (JsonNode vm : onSim) {
            assertThat(sha256(cluster.home("node-sim", "vcc-node").resolve("disks").resolve(vm.path("id").asString())
                    .resolve("disk-0.img"))).isEqualTo(digests.get(vm.path("name").asString()));
        }
        assertThat(mac(onSim.get(1))).isEqualTo(mac(web));
        assertThat(acme.get("/api/v1/vdcs/" + libvirtVdc + "/vms/" + web.path("id").asString()).status()).isEqualTo(404);
        assertThat(acme.get("/api/v1/vdcs/" + libvirtVdc + "/vapps").json().findValuesAsString("id")).doesNotContain(vapp);

        JsonNode back = transfer(simVdc, "vappId", onSim.get(0).path("vappId").asString(), libvirtVdc, "MOVE");

        List<JsonNode> onLibvirt = vappVms(libvirtVdc, back.path("outputs").path("targetVappId").asString());
        assertThat(onLibvirt).extracting(vm -> vm.path("name").asString()).containsExactly("db", "web");
        for (JsonNode vm : onLibvirt) {
            assertThat(sha256(domainImage(vm.path("id").asString()))).isEqualTo(digests.get(vm.path("name").asString()));
        }
        assertSameHardware(onLibvirt.get(0), db);
        assertThat(mac(onLibvirt.get(1))).isEqualTo(mac(web));
    }

    @Test
    void aVmwarePackagesVmdkDiskBecomesTheRawImageOfALibvirtDomain() throws Exception {
        requireQemuImg();
        byte[] data = random(3 * MIB, 9);
        Arrays.fill(data, MIB, 2 * MIB, (byte) 0);
        Path raw = Files.write(home.resolve("appliance.raw"), data);
        Path dir = Files.createDirectories(home.resolve("appliance"));
        // A real streamOptimized VMDK, as VMware and VirtualBox put in their packages.
        Process made = new ProcessBuilder("qemu-img", "convert", "-f", "raw", "-O", "vmdk", "-o", "subformat=streamOptimized",
                raw.toString(), dir.resolve("appliance-disk1.vmdk").toString()).inheritIO().start();
        assertThat(made.waitFor()).as("qemu-img (Debian: qemu-utils) makes the test's VMDK").isZero();
        OvfEnvelope envelope = new OvfEnvelope(List.of(new FileReference("file1", "appliance-disk1.vmdk", null)),
                List.of(new VirtualDisk("disk1", "file1", 4L * MIB, VirtualDisk.VMDK_STREAM_OPTIMIZED, null)),
                List.of(new OvfNetwork("VM Network", "the appliance's network")),
                new VirtualSystem("appliance", "appliance", null, null, new VirtualHardware("vmx-13", 1, 512L * MIB,
                        List.of(new DiskAttachment("disk1", new StorageController(ControllerType.SCSI, "lsilogic", 0), 0)),
                        List.of(new NetworkAdapter("VM Network", null, "VmxNet3")))));
        new OvfPackageWriter().write(dir, "appliance.ovf", envelope);
        ByteArrayOutputStream ova = new ByteArrayOutputStream();
        new OvaWriter().write(dir.resolve("appliance.ovf"), ova);

        HttpResponse<String> created = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(server + "/api/v1/vdcs/" + libvirtVdc + "/imports"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("acme-admin:acme-password-1".getBytes()))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(ova.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String location = URI.create(created.headers().firstValue("Location").orElseThrow()).getPath();
        JsonNode done = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).ignoreExceptions()
                .until(() -> acme.get(location).json(), upload -> upload.path("state").asString().matches("SUCCEEDED|FAILED"));
        assertThat(done.path("state").asString()).as(done.toString()).isEqualTo("SUCCEEDED");

        // The domain's disk is raw: the VMDK's contents, as long as the disk, not the VMDK file's bytes.
        byte[] image = Files.readAllBytes(domainImage(done.path("importedId").asString()));
        assertThat(image).hasSize(4 * MIB);
        assertThat(Arrays.copyOf(image, data.length)).isEqualTo(data);
        assertThat(Arrays.copyOfRange(image, data.length, image.length)).containsOnly(0);
    }

    /**
     * Packages whose disks, made by qemu-img, name a file of the node's (a backing file, an external data file, a
     * VMDK extent) or hold a disk far larger than declared: uploaded with tus, each is refused as package-unsafe,
     * no VM is defined and no byte of the node's file reaches its images or staging.
     */
    @Test
    void uploadedPackagesWhoseDisksNameHostFilesOrOutgrowTheirCapacityAreRefused() throws Exception {
        requireQemuImg();
        long started = System.currentTimeMillis() - 1000;
        byte[] secret = "NODE-SECRET-4b1e77-never-in-a-vm".getBytes(StandardCharsets.US_ASCII);
        Path hostFile = home.resolve("node-private.raw");
        byte[] content = new byte[MIB];
        System.arraycopy(secret, 0, content, 0, secret.length);
        Files.write(hostFile, content);
        int domains = libvirt.numOfDefinedDomains() + libvirt.numOfDomains();

        String qcow2 = "http://www.qemu.org/formats/qcow2";
        record Hostile(String name, Path disk, String format) {
        }
        List<Hostile> hostile = new ArrayList<>();
        Path backed = Files.createDirectories(home.resolve("hostile-backing")).resolve("disk1.qcow2");
        qemuImg("create", "-q", "-f", "qcow2", "-F", "raw", "-b", hostFile.toString(), backed.toString());
        hostile.add(new Hostile("victim-backing", backed, qcow2));
        Path dataFile = Files.createDirectories(home.resolve("hostile-data-file")).resolve("disk1.qcow2");
        // Made with a data file of its own, then pointed at the node's (create would truncate the file it names).
        qemuImg("create", "-q", "-f", "qcow2", "-o", "data_file=" + home.resolve("scratch.raw") + ",data_file_raw=on",
                dataFile.toString(), "1M");
        qemuImg("amend", "-f", "qcow2", "-o", "data_file=" + hostFile, dataFile.toString());
        hostile.add(new Hostile("victim-data-file", dataFile, qcow2));
        Path descriptor = Files.createDirectories(home.resolve("hostile-vmdk")).resolve("disk1.vmdk");
        Files.writeString(descriptor, "# Disk DescriptorFile\nversion=1\nCID=fffffffe\nparentCID=ffffffff\n"
                + "createType=\"monolithicFlat\"\nRW 2048 FLAT \"" + hostFile + "\" 0\n");
        hostile.add(new Hostile("victim-vmdk-extent", descriptor, VirtualDisk.VMDK_STREAM_OPTIMIZED));
        Path bomb = Files.createDirectories(home.resolve("hostile-bomb")).resolve("disk1.qcow2");
        qemuImg("create", "-q", "-f", "qcow2", bomb.toString(), "1T");
        hostile.add(new Hostile("victim-1tib", bomb, qcow2));

        for (Hostile image : hostile) {
            JsonNode done = uploadWithTus(ova(image.name(), image.disk(), image.format(), MIB));
            assertThat(done.path("state").asString()).as(image + ": " + done).isEqualTo("FAILED");
            assertThat(done.path("problem").path("type").asString()).as(done.toString()).isEqualTo("urn:vcc:problem:package-unsafe");
            assertThat(acme.get("/api/v1/vdcs/" + libvirtVdc + "/vms").json().findValuesAsString("name")).doesNotContain(image.name());
        }

        assertThat(libvirt.numOfDefinedDomains() + libvirt.numOfDomains()).as("no domain defined").isEqualTo(domains);
        Path node = cluster.home("node-libvirt", "vcc-node");
        assertThat(filesHolding(secret, started, node.resolve("libvirt-images"), node.resolve("staging")))
                .as("files of the node holding its secret").isEmpty();
    }

    /** Uploads an OVA as tus does (creation, then one PATCH) and waits for its import to end. */
    private JsonNode uploadWithTus(byte[] ova) throws Exception {
        HttpResponse<String> created = HTTP.send(request("POST", "/api/v1/vdcs/" + libvirtVdc + "/imports", HttpRequest.BodyPublishers.noBody())
                .header("Tus-Resumable", "1.0.0").header("Upload-Length", Long.toString(ova.length)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String location = URI.create(created.headers().firstValue("Location").orElseThrow()).getPath();
        HttpResponse<String> patched = HTTP.send(request("PATCH", location, HttpRequest.BodyPublishers.ofByteArray(ova))
                .header("Tus-Resumable", "1.0.0").header("Upload-Offset", "0").header("Content-Type", "application/offset+octet-stream")
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(204);
        return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).ignoreExceptions()
                .until(() -> acme.get(location).json(), upload -> upload.path("state").asString().matches("SUCCEEDED|FAILED"));
    }

    /** An OVA of one VM named {@code name} whose one disk of {@code capacity} bytes is {@code disk}, in {@code format}. */
    private static byte[] ova(String name, Path disk, String format, long capacity) throws IOException {
        Path dir = disk.getParent();
        OvfEnvelope envelope = new OvfEnvelope(List.of(new FileReference("file1", disk.getFileName().toString(), null)),
                List.of(new VirtualDisk("disk1", "file1", capacity, format, null)),
                List.of(new OvfNetwork("VM Network", "the network")),
                new VirtualSystem(name, name, null, null, new VirtualHardware("vmx-13", 1, 256L * MIB,
                        List.of(new DiskAttachment("disk1", new StorageController(ControllerType.SCSI, "lsilogic", 0), 0)),
                        List.of(new NetworkAdapter("VM Network", null, "VmxNet3")))));
        new OvfPackageWriter().write(dir, name + ".ovf", envelope);
        ByteArrayOutputStream ova = new ByteArrayOutputStream();
        new OvaWriter().write(dir.resolve(name + ".ovf"), ova);
        return ova.toByteArray();
    }

    /** The regular files under {@code roots}, written since {@code since}, in which {@code marker} occurs. */
    private static List<Path> filesHolding(byte[] marker, long since, Path... roots) throws IOException {
        List<Path> holding = new ArrayList<>();
        for (Path root : roots) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (var files = Files.walk(root)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    if (Files.getLastModifiedTime(file).toMillis() >= since && holds(file, marker)) {
                        holding.add(file);
                    }
                }
            }
        }
        return holding;
    }

    private static boolean holds(Path file, byte[] marker) throws IOException {
        String needle = new String(marker, StandardCharsets.ISO_8859_1);
        try (var in = Files.newInputStream(file)) {
            byte[] buffer = new byte[4 * MIB];
            String carry = "";
            for (int read; (read = in.readNBytes(buffer, 0, buffer.length)) > 0; ) {
                String window = carry + new String(buffer, 0, read, StandardCharsets.ISO_8859_1);
                if (window.contains(needle)) {
                    return true;
                }
                carry = window.substring(Math.max(0, window.length() - marker.length));
            }
        }
        return false;
    }

    private static void qemuImg(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("qemu-img"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as("qemu-img (Debian: qemu-utils) %s: %s", String.join(" ", arguments), output).isZero();
    }

    @Test
    void aTemplateCapturedOnLibvirtDownloadsUploadsCopiesToTheSimulatedCloudAndMovesBack() throws Exception {
        JsonNode web = created(acme.post("/api/v1/vdcs/" + libvirtVdc + "/vms",
                "{\"name\":\"tpl-web\",\"cpus\":1,\"memoryMb\":512,\"diskGb\":1,\"vapp\":\"suite\"}"));
        JsonNode db = created(acme.post("/api/v1/vdcs/" + libvirtVdc + "/vms",
                "{\"name\":\"tpl-db\",\"cpus\":1,\"memoryMb\":256,\"diskGb\":1,\"vapp\":\"suite\"}"));
        // Data at both ends, as above: the simulated cloud keeps an imported disk as long as its package's file.
        Map<String, String> digests = new HashMap<>();
        for (JsonNode vm : List.of(web, db)) {
            Path image = domainImage(vm.path("id").asString());
            try (RandomAccessFile file = new RandomAccessFile(image.toFile(), "rw")) {
                file.write(random(3 * MIB, vm.path("memoryMb").asLong()));
                file.seek(GIB - MIB);
                file.write(random(MIB, vm.path("memoryMb").asLong() + 1));
            }
            digests.put(vm.path("name").asString(), sha256(image));
        }

        Api.Response captured = acme.post("/api/v1/vdcs/" + libvirtVdc + "/templates",
                "{\"name\":\"suite-v1\",\"vappId\":\"" + web.path("vappId").asString() + "\"}");
        JsonNode template = created(captured);
        String templateId = template.path("id").asString();
        assertThat(names(template.path("vms"))).containsExactly("tpl-db", "tpl-web");
        for (JsonNode vm : template.path("vms")) {
            String vmId = vm.path("id").asString();
            assertThat(libvirt.domainLookupByUUIDString(vmId).getXMLDesc(0)).contains("urn:vcc:node:libvirt:1", "template=\"true\"");
            String sourceId = (vm.path("name").asString().equals("tpl-web") ? web : db).path("id").asString();
            assertThat(domainImage(vmId)).as("a copy of its own").isNotEqualTo(domainImage(sourceId));
            assertThat(sha256(domainImage(vmId))).isEqualTo(digests.get(vm.path("name").asString()));
        }
        assertThat(acme.get("/api/v1/vdcs/" + libvirtVdc + "/vms").json().findValuesAsString("id"))
                .doesNotContainAnyElementsOf(template.path("vms").findValuesAsString("id"));
        assertThat(acme.get("/api/v1/vdcs/" + libvirtVdc + "/templates").json().findValuesAsString("id")).contains(templateId);

        // Down as an OVA and up again as another template of the same catalog.
        Path ova = home.resolve("suite-v1.ova");
        HttpResponse<Path> download = HTTP.send(request("GET", "/api/v1/vdcs/" + libvirtVdc + "/templates/" + templateId + "/ova",
                HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofFile(ova));
        assertThat(download.statusCode()).as("the OVA download").isEqualTo(200);
        Path extracted = Files.createDirectories(home.resolve("template-ova"));
        OvfPackage downloaded;
        try (var in = Files.newInputStream(ova)) {
            downloaded = new OvaReader().extract(in, extracted);
        }
        assertThat(downloaded.envelope().content().name()).isEqualTo("suite-v1");
        assertThat(downloaded.envelope().virtualSystems()).extracting(VirtualSystem::name).containsExactly("tpl-db", "tpl-web");
        Path webFile = extracted.resolve("tpl-web-disk0.img");
        assertThat(sha256(webFile)).isEqualTo(digests.get("tpl-web"));
        HttpResponse<String> upload = HTTP.send(request("POST", "/api/v1/vdcs/" + libvirtVdc + "/imports?kind=TEMPLATE&name=suite-v2",
                HttpRequest.BodyPublishers.ofFile(ova)).header("Content-Type", "application/octet-stream").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(upload.statusCode()).as(upload.body()).isEqualTo(201);
        String importStatus = upload.headers().firstValue("Location").orElseThrow();
        JsonNode imported = await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofMillis(300)).ignoreExceptions()
                .until(() -> created(acme.get(importStatus)), status -> status.path("state").asString().matches("SUCCEEDED|FAILED"));
        assertThat(imported.path("state").asString()).as(imported.toString()).isEqualTo("SUCCEEDED");
        JsonNode uploaded = created(acme.get("/api/v1/vdcs/" + libvirtVdc + "/templates/" + imported.path("importedId").asString()));
        assertThat(uploaded.path("name").asString()).isEqualTo("suite-v2");
        assertThat(names(uploaded.path("vms"))).containsExactly("tpl-db", "tpl-web");
        for (JsonNode vm : uploaded.path("vms")) {
            assertThat(sha256(domainImage(vm.path("id").asString()))).isEqualTo(digests.get(vm.path("name").asString()));
        }

        JsonNode copied = transfer(libvirtVdc, "templateId", templateId, simVdc, "COPY");

        String simTemplateId = copied.path("outputs").path("targetTemplateId").asString();
        JsonNode onSim = created(acme.get("/api/v1/vdcs/" + simVdc + "/templates/" + simTemplateId));
        assertThat(onSim.path("name").asString()).isEqualTo("suite-v1");
        assertThat(names(onSim.path("vms"))).containsExactly("tpl-db", "tpl-web");
        for (JsonNode vm : onSim.path("vms")) {
            assertThat(sha256(cluster.home("node-sim", "vcc-node").resolve("disks").resolve(vm.path("id").asString())
                    .resolve("disk-0.img"))).isEqualTo(digests.get(vm.path("name").asString()));
        }
        assertThat(acme.get("/api/v1/vdcs/" + simVdc + "/templates").json().findValuesAsString("id")).contains(simTemplateId);
        assertThat(acme.get("/api/v1/vdcs/" + libvirtVdc + "/templates/" + templateId).status()).as("a copy keeps the source").isEqualTo(200);

        // The libvirt catalog gives the name up, so that the copy can move back under it.
        assertThat(acme.delete("/api/v1/vdcs/" + libvirtVdc + "/templates/" + templateId).status()).isEqualTo(204);
        assertThat(acme.get("/api/v1/vdcs/" + libvirtVdc + "/templates/" + templateId).status()).isEqualTo(404);
        String deletedVm = template.path("vms").get(0).path("id").asString();
        assertThat(List.of(libvirt.listDefinedDomains())).doesNotContain("vcc-" + deletedVm);

        JsonNode moved = transfer(simVdc, "templateId", simTemplateId, libvirtVdc, "MOVE");

        String back = moved.path("outputs").path("targetTemplateId").asString();
        JsonNode onLibvirt = created(acme.get("/api/v1/vdcs/" + libvirtVdc + "/templates/" + back));
        assertThat(onLibvirt.path("name").asString()).isEqualTo("suite-v1");
        assertThat(names(onLibvirt.path("vms"))).containsExactly("tpl-db", "tpl-web");
        for (JsonNode vm : onLibvirt.path("vms")) {
            String vmId = vm.path("id").asString();
            assertThat(libvirt.domainLookupByUUIDString(vmId).getXMLDesc(0)).contains("template=\"true\"", "<title>" + vm.path("name").asString() + "</title>");
            assertThat(sha256(domainImage(vmId))).isEqualTo(digests.get(vm.path("name").asString()));
        }
        assertThat(acme.get("/api/v1/vdcs/" + libvirtVdc + "/templates").json().findValuesAsString("id")).contains(back);
        assertThat(acme.get("/api/v1/vdcs/" + simVdc + "/templates/" + simTemplateId).status()).as("a move removes the source").isEqualTo(404);
        assertThat(acme.get("/api/v1/vdcs/" + simVdc + "/templates").json().findValuesAsString("id")).doesNotContain(simTemplateId);

        Api.Response instance = acme.post("/api/v1/vdcs/" + libvirtVdc + "/templates/" + back + "/instances", "{\"name\":\"suite2\"}");
        JsonNode vapp = created(instance);
        List<JsonNode> vms = new ArrayList<>();
        vapp.path("vmIds").forEach(id -> vms.add(created(acme.get("/api/v1/vdcs/" + libvirtVdc + "/vms/" + id.asString()))));
        assertThat(vms).extracting(vm -> vm.path("name").asString()).containsExactly("suite2-tpl-db", "suite2-tpl-web");
        assertThat(sha256(domainImage(vms.get(1).path("id").asString()))).isEqualTo(digests.get("tpl-web"));
        assertThat(acme.get("/api/v1/vdcs/" + libvirtVdc + "/vms").json().findValuesAsString("id"))
                .contains(vms.get(0).path("id").asString(), vms.get(1).path("id").asString());
    }

    @Test
    void aLibvirtVdcWhoseCatalogHoldsATemplateIsNotDeleted() {
        String vdc = vdc(tenant, "node-libvirt", "acme-lv-catalog");
        JsonNode vm = created(acme.post("/api/v1/vdcs/" + vdc + "/vms", "{\"name\":\"base\",\"cpus\":2,\"memoryMb\":512,\"diskGb\":2}"));
        String template = created(acme.post("/api/v1/vdcs/" + vdc + "/templates",
                "{\"name\":\"base-v1\",\"vappId\":\"" + vm.path("vappId").asString() + "\"}")).path("id").asString();
        assertThat(acme.delete("/api/v1/vdcs/" + vdc + "/vms/" + vm.path("id").asString()).status()).isEqualTo(204);
        JsonNode usage = created(acme.get("/api/v1/vdcs/" + vdc)).path("usage");
        assertThat(List.of(usage.path("cpus").asInt(), usage.path("storageGb").asInt())).as("a template holds storage only").containsExactly(0, 2);

        Api.Response refused = admin.delete("/api/v1/vdcs/" + vdc);
        assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
        assertThat(refused.problemType()).isEqualTo("urn:vcc:problem:invalid-state");

        assertThat(acme.delete("/api/v1/vdcs/" + vdc + "/templates/" + template).status()).isEqualTo(204);
        assertThat(admin.delete("/api/v1/vdcs/" + vdc).status()).isEqualTo(204);
    }

    private static List<String> names(JsonNode vms) {
        List<String> names = new ArrayList<>();
        vms.forEach(vm -> names.add(vm.path("name").asString()));
        return names;
    }

    /** A request of the tenant administrator whose body or answer is an OVA: a file, too large for {@link Api}'s strings. */
    private HttpRequest.Builder request(String method, String path, HttpRequest.BodyPublisher body) {
        return HttpRequest.newBuilder(URI.create(server + path)).timeout(Duration.ofSeconds(300)).method(method, body)
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("acme-admin:acme-password-1".getBytes(StandardCharsets.UTF_8)));
    }

    /** The vApp's VMs as the VDC lists them, by name. */
    private List<JsonNode> vappVms(String vdc, String vappId) {
        JsonNode vapp = null;
        for (JsonNode candidate : acme.get("/api/v1/vdcs/" + vdc + "/vapps").json()) {
            if (candidate.path("id").asString().equals(vappId)) {
                vapp = candidate;
            }
        }
        assertThat(vapp).as("vApp " + vappId + " in " + vdc).isNotNull();
        assertThat(vapp.path("name").asString()).isEqualTo("shop");
        List<JsonNode> vms = new ArrayList<>();
        vapp.path("vmIds").forEach(id -> vms.add(created(acme.get("/api/v1/vdcs/" + vdc + "/vms/" + id.asString()))));
        vms.sort(Comparator.comparing(vm -> vm.path("name").asString()));
        return vms;
    }

    /** Transfers the VM, vApp or template ({@code field} names which) and waits for it to succeed. */
    private JsonNode transfer(String sourceVdc, String field, String id, String targetVdc, String mode) {
        return awaitSuccess(acme.post("/api/v1/transfers", "{\"sourceVdcId\":\"" + sourceVdc + "\",\"" + field + "\":\"" + id
                + "\",\"targetVdcId\":\"" + targetVdc + "\",\"mode\":\"" + mode + "\"}"));
    }

    private JsonNode awaitSuccess(Api.Response accepted) {
        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
        String operation = accepted.text("id");
        JsonNode done = await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(300)).ignoreExceptions()
                .until(() -> acme.get("/api/v1/operations/" + operation).json(),
                        op -> op.path("state").asString().matches("SUCCEEDED|FAILED|CANCELLED"));
        assertThat(done.path("state").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
        return done;
    }

    /** The image file the VM's libvirt domain names as its first disk. */
    private Path domainImage(String vmId) throws LibvirtException {
        Matcher source = SOURCE_FILE.matcher(libvirt.domainLookupByUUIDString(vmId).getXMLDesc(0));
        assertThat(source.find()).as("domain " + vmId + " has a file disk").isTrue();
        return Path.of(source.group(1));
    }

    private String vdc(String tenant, String node, String name) {
        String cloud = null;
        for (JsonNode candidate : admin.get("/api/v1/clouds").json()) {
            if (candidate.path("name").asString().equals(node)) {
                cloud = candidate.path("id").asString();
            }
        }
        assertThat(cloud).as("cloud of " + node).isNotNull();
        return created(admin.post("/api/v1/vdcs", "{\"tenantId\":\"" + tenant + "\",\"cloudId\":\"" + cloud + "\",\"name\":\""
                + name + "\",\"cpuQuota\":16,\"memoryMbQuota\":16384,\"storageGbQuota\":20}")).path("id").asString();
    }

    private JsonNode targetVm(JsonNode operation, String vdc) {
        String id = operation.path("outputs").path("targetVmId").asString();
        return created(acme.get("/api/v1/vdcs/" + vdc + "/vms/" + id));
    }

    private static JsonNode created(Api.Response response) {
        assertThat(response.status()).as(response.toString()).isIn(200, 201);
        return response.json();
    }

    private static void assertSameHardware(JsonNode copy, JsonNode source) {
        assertThat(copy.path("cpus").asInt()).isEqualTo(source.path("cpus").asInt());
        assertThat(copy.path("memoryMb").asLong()).isEqualTo(source.path("memoryMb").asLong());
        assertThat(copy.path("disks").get(0).path("capacityBytes").asLong())
                .isEqualTo(source.path("disks").get(0).path("capacityBytes").asLong());
        assertThat(copy.path("nics").size()).isEqualTo(source.path("nics").size());
    }

    private static String mac(JsonNode vm) {
        return vm.path("nics").get(0).path("mac").asString();
    }

    private static byte[] random(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}

package io.vcc.node.transfer;

import io.vcc.node.packaging.Staging;
import static org.assertj.core.api.Assertions.assertThat;

import io.vcc.api.node.VdcSpec;
import io.vcc.api.node.VmInfo;
import io.vcc.api.node.VmSpec;
import io.vcc.node.adapter.CloudDirectorAdapter;
import io.vcc.node.adapter.HypervisorAdapter;
import io.vcc.node.core.identity.NodeIdentities;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The export without a staged copy: a disk whose last chunk holds data is linked into the staging and hashed where
 * it lies; a thin one is still copied without its trailing zeros; and a source that changes after its export is
 * refused chunk by chunk at the receiver, so the change never reaches a verified package. The node is both ends of
 * the push (source and target keep apart by side), over real HTTP, the test playing the server.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.config.name=vcc-node", "vcc.service-name=vcc-node-in-place-export-test",
                "vcc.home=target/test-home/vcc-node-in-place-export-test", "vcc.transfers.progress-interval=100ms",
                "vcc.transfers.retry-interval=100ms", "vcc.transfers.chunk-attempts=2"})
@ActiveProfiles("test")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InPlaceExportTest {

    private static final int CHUNK = 1 << 20;

    @LocalServerPort
    int port;
    @Autowired
    NodeIdentities identities;
    @Autowired
    PasswordEncoder passwordEncoder;
    @Autowired
    CloudDirectorAdapter director;
    @Autowired
    HypervisorAdapter hypervisor;
    @Autowired
    Staging staging;

    private final java.util.Map<Path, String> vms = new java.util.concurrent.ConcurrentHashMap<>();
    private NodeTransferCalls calls;
    private String vdc;

    @BeforeAll
    void start() throws Exception {
        calls = new NodeTransferCalls(port, identities, passwordEncoder);
        vdc = director.createVdc(new VdcSpec("acme", "in-place-export", 8, 8192, 100)).id();
    }

    @Test
    void aDiskThatEndsInDataIsLinkedNotCopiedAndItsDigestsAreOfItsBytes() throws Exception {
        Path image = disk("linked", 5 * CHUNK + 4096, true);
        UUID transfer = UUID.randomUUID();

        JsonNode disk = export(transfer, image).get(2);

        Path staged = staging.exportDir(transfer).resolve(disk.path("name").asString());
        assertThat(Files.isSameFile(staged, image)).as("the staged file is the image itself").isTrue();
        assertThat(disk.path("size").asLong()).isEqualTo(Files.size(image));
        assertThat(disk.path("sha256").asString()).isEqualTo(NodeTransferCalls.sha256(image, Files.size(image)));
        assertThat(disk.path("chunkSha256").valueStream().map(JsonNode::asString).toList()).isEqualTo(chunkDigests(image));
        calls.call("DELETE", "/node/v1/transfers/" + transfer, "");
        assertThat(image).as("cleanup removes the link, not the VM's disk").exists();
    }

    @Test
    void aThinDiskIsCopiedWithoutItsTrailingZeros() throws Exception {
        Path image = disk("thin", 6 * CHUNK, false);
        UUID transfer = UUID.randomUUID();

        JsonNode disk = export(transfer, image).get(2);

        Path staged = staging.exportDir(transfer).resolve(disk.path("name").asString());
        assertThat(Files.isSameFile(staged, image)).isFalse();
        assertThat(disk.path("size").asLong()).isEqualTo(2L * CHUNK);
        assertThat(Files.size(staged)).isEqualTo(2L * CHUNK);
        assertThat(disk.path("sha256").asString()).isEqualTo(NodeTransferCalls.sha256(image, 2L * CHUNK));
    }

    @Test
    void aSourceThatChangesAfterItsExportIsRefusedByTheReceiverAndNothingOfTheChangeIsCommitted() throws Exception {
        Path image = disk("changing", 4 * CHUNK, true);
        UUID transfer = UUID.randomUUID();
        ObjectNode files = (ObjectNode) NodeTransferCalls.JSON.createObjectNode().set("files", export(transfer, image));
        JsonNode disk = files.path("files").get(2);
        try (FileChannel out = FileChannel.open(image, StandardOpenOption.WRITE)) {
            out.write(ByteBuffer.wrap(new byte[] {1, 2, 3}), CHUNK + 17);
        }
        String base = "/node/v1/transfers/" + transfer;
        ObjectNode grant = files.deepCopy().put("role", "ACCEPT").put("username", "peer-" + transfer)
                .put("secret", "peer-secret-1234").put("vdcId", vdc);
        assertThat(calls.call("PUT", base + "/grant", grant.toString()).statusCode()).isEqualTo(204);
        ObjectNode push = files.deepCopy().put("peerBaseUrl", calls.baseUrl()).put("username", "peer-" + transfer)
                .put("secret", "peer-secret-1234").put("vdcId", vdc);

        JsonNode status = calls.finished(base + "/push", push.toString());

        assertThat(status.path("state").asString()).isEqualTo("FAILED");
        assertThat(status.path("errorType").asString()).isEqualTo("chunk-corrupt");
        JsonNode log = NodeTransferCalls.JSON.readTree(calls.call("GET", base, "").body());
        JsonNode received = log.path("files").valueStream()
                .filter(f -> f.path("side").asString().equals("TARGET") && f.path("file").asString().equals(disk.path("name").asString()))
                .findFirst().orElseThrow();
        assertThat(received.path("committedOffset").asLong()).as("the chunk before the changed one only").isEqualTo(CHUNK);
        JsonNode verify = calls.finished(base + "/verify", files.toString());
        assertThat(verify.path("state").asString()).isEqualTo("FAILED");
    }

    private JsonNode export(UUID transfer, Path image) throws Exception {
        String vmId = vms.get(image);
        return calls.job("/node/v1/transfers/" + transfer + "/export",
                "{\"kind\":\"VM\",\"sourceId\":\"" + vmId + "\",\"chunkSize\":" + CHUNK + "}").path("files");
    }

    /** A VM whose disk is {@code size} bytes: random in its first 1.5 MiB and, with {@code dataAtEnd}, in its last 4 KiB. */
    private Path disk(String name, long size, boolean dataAtEnd) throws Exception {
        VmInfo vm = hypervisor.createVm(vdc, new VmSpec(name, 1, 512, 1, null));
        Path image = hypervisor.diskImages(vm.id()).get(0);
        Random random = new Random(name.hashCode());
        byte[] head = new byte[CHUNK + CHUNK / 2];
        random.nextBytes(head);
        byte[] tail = new byte[4096];
        random.nextBytes(tail);
        try (FileChannel out = FileChannel.open(image, StandardOpenOption.WRITE)) {
            out.truncate(0);
            out.write(ByteBuffer.wrap(head), 0);
            if (dataAtEnd) {
                out.write(ByteBuffer.wrap(tail), size - tail.length);
            } else {
                out.write(ByteBuffer.wrap(new byte[1]), size - 1);
            }
        }
        vms.put(image, vm.id());
        return image;
    }

    private static List<String> chunkDigests(Path image) throws Exception {
        List<String> digests = new ArrayList<>();
        long size = Files.size(image);
        Path part = Files.createTempFile("chunk", ".bin");
        try (FileChannel in = FileChannel.open(image, StandardOpenOption.READ)) {
            for (long offset = 0; offset < size; offset += CHUNK) {
                ByteBuffer bytes = ByteBuffer.allocate((int) Math.min(CHUNK, size - offset));
                in.read(bytes, offset);
                Files.write(part, bytes.array());
                digests.add(NodeTransferCalls.sha256(part, bytes.capacity()));
            }
        } finally {
            Files.delete(part);
        }
        return digests;
    }
}

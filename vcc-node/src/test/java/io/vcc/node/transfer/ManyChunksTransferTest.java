package io.vcc.node.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import io.vcc.api.node.VdcSpec;
import io.vcc.api.node.VmInfo;
import io.vcc.api.node.VmSpec;
import io.vcc.node.adapter.CloudDirectorAdapter;
import io.vcc.node.adapter.HypervisorAdapter;
import io.vcc.node.core.identity.NodeIdentities;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A package of many chunks crosses between nodes: a 100 MiB disk in 4 KiB chunks is 25,600 chunk digests, so the
 * server's grant, push and verify messages are 1.7 MB of JSON each, more than the 1 MiB bound of other bodies.
 * The node is both ends here (source and target keep apart by side), over real HTTP, the test playing the server.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.config.name=vcc-node", "vcc.service-name=vcc-node-many-chunks-test",
                "vcc.home=target/test-home/vcc-node-many-chunks-test", "vcc.transfers.progress-interval=100ms"})
@ActiveProfiles("test")
class ManyChunksTransferTest {

    private static final int CHUNK = 4096;
    private static final long SIZE = 100L << 20;
    private static final JsonMapper JSON = JsonMapper.shared();

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

    private NodeTransferCalls calls;

    @Test
    void aDiskOf25600ChunksIsExportedPushedVerifiedAndImportedWhole() throws Exception {
        calls = new NodeTransferCalls(port, identities, passwordEncoder);
        String vdc = director.createVdc(new VdcSpec("acme", "many-chunks", 8, 8192, 100)).id();
        VmInfo vm = hypervisor.createVm(vdc, new VmSpec("chunky", 1, 512, 1, null));
        Path image = hypervisor.diskImages(vm.id()).get(0);
        String digest = fill(image);
        UUID transfer = UUID.randomUUID();
        String base = "/node/v1/transfers/" + transfer;

        JsonNode exported = job(base + "/export", "{\"kind\":\"VM\",\"sourceId\":\"" + vm.id() + "\",\"chunkSize\":" + CHUNK + "}");
        JsonNode files = exported.path("files");
        JsonNode disk = files.get(2);
        assertThat(disk.path("chunkSha256").size()).isEqualTo((int) (SIZE / CHUNK));

        ObjectNode grant = JSON.createObjectNode().put("role", "ACCEPT").put("username", "peer-" + transfer)
                .put("secret", "peer-secret-1234").put("vdcId", vdc);
        grant.set("files", files);
        String grantBody = JSON.writeValueAsString(grant);
        assertThat(grantBody.length()).isGreaterThan(1 << 20);
        HttpResponse<String> granted = call("PUT", base + "/grant", grantBody);
        assertThat(granted.statusCode()).as(granted.body()).isEqualTo(204);

        ObjectNode push = JSON.createObjectNode().put("peerBaseUrl", "http://127.0.0.1:" + port).put("username", "peer-" + transfer)
                .put("secret", "peer-secret-1234").put("vdcId", vdc);
        push.set("files", files);
        job(base + "/push", JSON.writeValueAsString(push));

        ObjectNode verify = JSON.createObjectNode();
        verify.set("files", files);
        job(base + "/verify", JSON.writeValueAsString(verify));

        JsonNode imported = job(base + "/import", "{\"vdcId\":\"" + vdc + "\",\"name\":\"chunky-copy\",\"keepMacs\":false,\"kind\":\"VM\"}");
        Path copy = hypervisor.diskImages(imported.path("importedId").asString()).get(0);
        assertThat(sha256(copy, SIZE)).isEqualTo(digest);
    }

    /** Random bytes in the disk's first MiB and its last chunk, zeros between: 100 MiB, every chunk in the package. */
    private static String fill(Path image) throws Exception {
        byte[] head = new byte[1 << 20];
        new Random(7).nextBytes(head);
        byte[] tail = new byte[CHUNK];
        new Random(8).nextBytes(tail);
        try (FileChannel out = FileChannel.open(image, StandardOpenOption.WRITE)) {
            out.truncate(SIZE);
            out.write(ByteBuffer.wrap(head), 0);
            out.write(ByteBuffer.wrap(tail), SIZE - CHUNK);
        }
        return sha256(image, SIZE);
    }

    private static String sha256(Path file, long length) throws Exception {
        return NodeTransferCalls.sha256(file, length);
    }

    private JsonNode job(String path, String body) throws Exception {
        return calls.job(path, body);
    }

    private HttpResponse<String> call(String method, String path, String body) throws Exception {
        return calls.call(method, path, body);
    }
}

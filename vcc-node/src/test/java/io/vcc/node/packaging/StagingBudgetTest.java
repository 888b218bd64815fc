package io.vcc.node.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;

import io.vcc.api.node.VdcSpec;
import io.vcc.node.adapter.CloudDirectorAdapter;
import io.vcc.node.adapter.CloudInventory;
import io.vcc.node.core.identity.NodeIdentities;
import io.vcc.node.core.identity.NodeIdentity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The staging budget through the node API: uploads and incoming transfers reserve their bytes up front; past the
 * node's budget or the organization's share they are refused as {@code staging-full} (507) with nothing left
 * behind, and what an abort or a cleanup gives back can be reserved again.
 */
@SpringBootTest(properties = {"spring.config.name=vcc-node", "vcc.service-name=vcc-node-budget-test",
        "vcc.home=target/test-home/vcc-node-budget-test", "vcc.staging.budget=10MB", "vcc.staging.tenant-share=0.6"})
@ActiveProfiles("test")
@AutoConfigureMockMvc
class StagingBudgetTest {

    private static final long MB = 1024 * 1024;

    @Autowired
    MockMvc mvc;
    @Autowired
    NodeIdentities identities;
    @Autowired
    PasswordEncoder passwordEncoder;
    @Autowired
    CloudDirectorAdapter director;
    @Autowired
    CloudInventory inventory;
    @Autowired
    StagingBudget budget;
    @Autowired
    Staging staging;
    @Autowired
    JdbcClient jdbc;

    private String session;
    private String acme;
    private String beta;

    @BeforeEach
    void setUp() throws Exception {
        jdbc.sql("delete from staging_reservation").update();
        jdbc.sql("delete from package_upload").update();
        Staging.deleteTree(staging.root().resolve("uploads"));
        session = session();
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        acme = director.createVdc(new VdcSpec("acme-" + suffix, "a", 8, 8192, 100)).id();
        beta = director.createVdc(new VdcSpec("beta-" + suffix, "b", 8, 8192, 100)).id();
    }

    @Test
    void uploadsPastTheBudgetOrTheTenantShareAreRefusedAsStagingFullAndLeaveNothing() throws Exception {
        String first = json(createUpload(acme, 6 * MB), 201).path("id").asString();

        // acme has its whole share (60% of 10 MB) reserved: one byte more is refused, though the node has room.
        assertStagingFull(createUpload(acme, 1), "Organization acme-");
        String second = json(createUpload(beta, 4 * MB), 201).path("id").asString();
        // Now the node's budget is all reserved: beta, within its share, is refused too.
        assertStagingFull(createUpload(beta, 1), "This node's staging area has room for " + 10 * MB);
        // 2 TB, the largest upload, is refused before anything is written.
        assertStagingFull(createUpload(beta, 2L << 40), "needs " + (2L << 40));
        assertThat(uploadRows()).isEqualTo(2);
        assertThat(uploadDirs()).isEqualTo(2);
        assertThat(budget.usage("any").reserved()).isEqualTo(10 * MB);

        // An abort gives the bytes back, once.
        call(delete("/node/v1/uploads/" + first + "?vdcId=" + acme), null, 204);
        assertThat(budget.usage("any").reserved()).isEqualTo(4 * MB);
        assertThat(budget.release(UUID.fromString(first))).isZero();
        assertThat(budget.usage("any").reserved()).isEqualTo(4 * MB);
        json(createUpload(acme, 6 * MB), 201);
        assertThat(budget.reservedBy(UUID.fromString(second))).isEqualTo(4 * MB);
    }

    @Test
    void anOvfDescriptorUploadReservesItsLengthUntilAborted() throws Exception {
        JsonNode descriptor = json(call(post("/node/v1/uploads"), "{\"vdcId\":\"" + acme + "\",\"length\":100,"
                + "\"descriptorName\":\"vm.ovf\"}", -1), 201);
        UUID id = UUID.fromString(descriptor.path("id").asString());
        assertThat(budget.reservedBy(id)).isEqualTo(100);
        call(delete("/node/v1/uploads/" + id + "?vdcId=" + acme), null, 204);
        assertThat(budget.reservedBy(id)).isZero();
    }

    @Test
    void anIncomingTransferReservesItsPackageAndItsCleanupGivesItBack() throws Exception {
        UUID big = UUID.randomUUID();
        assertStagingFull(call(put("/node/v1/transfers/" + big + "/grant"), grant(11 * MB, acme), -1),
                "the package of transfer " + big);
        assertThat(staging.transferDir(big)).doesNotExist();
        assertThat(jdbc.sql("select count(*) from transfer_file where transfer_id = ?").param(big).query(Long.class).single()).isZero();
        assertThat(jdbc.sql("select count(*) from transfer_grant where transfer_id = ?").param(big).query(Long.class).single()).isZero();

        UUID fits = UUID.randomUUID();
        call(put("/node/v1/transfers/" + fits + "/grant"), grant(5 * MB, acme), 204);
        // The server grants again when the peer lost it: still one reservation.
        call(put("/node/v1/transfers/" + fits + "/grant"), grant(5 * MB, acme), 204);
        assertThat(budget.reservedBy(fits)).isEqualTo(5 * MB);
        assertThat(budget.usage(tenantOf(acme)).tenantReserved()).isEqualTo(5 * MB);
        assertStagingFull(createUpload(acme, 2 * MB), "Organization acme-");

        call(delete("/node/v1/transfers/" + fits), null, 204);
        assertThat(budget.reservedBy(fits)).isZero();
        json(createUpload(acme, 6 * MB), 201);
    }

    private String tenantOf(String vdcId) {
        return inventory.vdc(vdcId).orElseThrow().organization();
    }

    private static String grant(long size, String vdcId) {
        return "{\"role\":\"ACCEPT\",\"username\":\"peer\",\"secret\":\"s3cret-s3cret\",\"vdcId\":\"" + vdcId + "\",\"files\":["
                + "{\"name\":\"disk.img\",\"size\":" + size + ",\"sha256\":\"" + "a".repeat(64) + "\",\"chunkSize\":" + (8 * MB)
                + ",\"chunkSha256\":[\"" + "b".repeat(64) + "\"]}]}";
    }

    private MvcResult createUpload(String vdcId, long length) throws Exception {
        return call(post("/node/v1/uploads"), "{\"vdcId\":\"" + vdcId + "\",\"length\":" + length + "}", -1);
    }

    private long uploadRows() {
        return jdbc.sql("select count(*) from package_upload").query(Long.class).single();
    }

    private long uploadDirs() throws Exception {
        Path uploads = staging.root().resolve("uploads");
        if (!Files.isDirectory(uploads)) {
            return 0;
        }
        long count = 0;
        try (Stream<Path> dirs = Files.list(uploads)) {
            for (Path dir : dirs.toList()) {
                if (jdbc.sql("select count(*) from package_upload where id = ?").param(UUID.fromString(dir.getFileName().toString()))
                        .query(Long.class).single() > 0) {
                    count++;
                } else {
                    throw new AssertionError("staging of no upload left behind: " + dir);
                }
            }
        }
        return count;
    }

    private String session() throws Exception {
        UUID nodeId = UUID.randomUUID();
        identities.save(NodeIdentity.registered(nodeId, "node-" + nodeId, passwordEncoder.encode("the-secret"),
                "http://server.invalid", Instant.now()));
        MvcResult login = mvc.perform(post("/node/v1/sessions").contentType(MediaType.APPLICATION_JSON)
                .content("{\"username\":\"node-" + nodeId + "\",\"secret\":\"the-secret\"}")).andReturn();
        return JsonMapper.shared().readTree(login.getResponse().getContentAsString()).path("token").asString();
    }

    private MvcResult call(MockHttpServletRequestBuilder request, String body, int status) throws Exception {
        request.header("Authorization", "Bearer " + session);
        if (body != null) {
            request.contentType(MediaType.APPLICATION_JSON).content(body);
        }
        MvcResult result = mvc.perform(request).andReturn();
        if (status > 0) {
            assertThat(result.getResponse().getStatus()).as(result.getResponse().getContentAsString()).isEqualTo(status);
        }
        return result;
    }

    private static JsonNode json(MvcResult result, int status) throws Exception {
        assertThat(result.getResponse().getStatus()).as(result.getResponse().getContentAsString()).isEqualTo(status);
        return JsonMapper.shared().readTree(result.getResponse().getContentAsString());
    }

    private static void assertStagingFull(MvcResult result, String detail) throws Exception {
        assertThat(result.getResponse().getContentType()).startsWith("application/problem+json");
        JsonNode problem = json(result, 507);
        assertThat(problem.path("type").asString()).isEqualTo("urn:vcc:problem:staging-full");
        assertThat(problem.path("detail").asString()).contains(detail);
    }
}

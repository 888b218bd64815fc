package io.vcc.node.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import io.vcc.api.transfer.CheckpointLog;
import io.vcc.api.transfer.PackageFile;
import io.vcc.node.VccNodeApplication;
import java.io.ByteArrayInputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/** The checkpoint log and the hashing pipeline on the node's real (embedded) PostgreSQL and real files. */
@SpringBootTest(classes = VccNodeApplication.class, properties = {
        "spring.config.name=vcc-node", "vcc.service-name=vcc-node-test", "vcc.embedded-postgres.ephemeral=true",
        "vcc.home=target/test-home/vcc-node-checkpoints-test", "server.port=0"})
class CheckpointsTest {

    @Autowired
    Checkpoints checkpoints;

    @Autowired
    TransferJobs jobs;

    @TempDir
    Path dir;

    private static final PackageFile FILE = new PackageFile("disk.img", 2500, "a".repeat(64), 1000,
            List.of("1".repeat(64), "2".repeat(64), "3".repeat(64)));

    @Test
    void aChunkCommitsOnlyAtTheCommittedOffsetSoTheLogHasNoHoles() {
        UUID transfer = UUID.randomUUID();
        checkpoints.register(transfer, Checkpoints.Side.TARGET, FILE);
        checkpoints.register(transfer, Checkpoints.Side.TARGET, FILE);
        assertThat(checkpoints.committed(transfer, Checkpoints.Side.TARGET, "disk.img")).isZero();

        assertThat(checkpoints.commit(transfer, Checkpoints.Side.TARGET, "disk.img", 1, 1000, 1000, "2".repeat(64))).isZero();
        assertThat(checkpoints.commit(transfer, Checkpoints.Side.TARGET, "disk.img", 0, 0, 1000, "1".repeat(64))).isEqualTo(1000);
        assertThat(checkpoints.commit(transfer, Checkpoints.Side.TARGET, "disk.img", 0, 0, 1000, "1".repeat(64))).isEqualTo(1000);
        assertThat(checkpoints.commit(transfer, Checkpoints.Side.TARGET, "disk.img", 1, 1000, 1000, "2".repeat(64))).isEqualTo(2000);

        CheckpointLog log = checkpoints.log(transfer);
        assertThat(log.files()).singleElement().satisfies(entry -> {
            assertThat(entry.committedOffset()).isEqualTo(2000);
            assertThat(entry.chunksLogged()).isEqualTo(2);
        });
        checkpoints.delete(transfer);
        assertThat(checkpoints.log(transfer).files()).isEmpty();
    }

    @Test
    void whatThePeerReportsMovesTheSourceLogForwardByWholeChunksOnly() {
        UUID transfer = UUID.randomUUID();
        checkpoints.register(transfer, Checkpoints.Side.SOURCE, FILE);
        checkpoints.peerCommitted(transfer, FILE, 1500);
        assertThat(checkpoints.committed(transfer, Checkpoints.Side.SOURCE, "disk.img")).isEqualTo(1000);
        checkpoints.peerCommitted(transfer, FILE, 500);
        assertThat(checkpoints.committed(transfer, Checkpoints.Side.SOURCE, "disk.img")).isEqualTo(1000);
        checkpoints.peerCommitted(transfer, FILE, 2500);
        assertThat(checkpoints.committed(transfer, Checkpoints.Side.SOURCE, "disk.img")).isEqualTo(2500);
        assertThat(checkpoints.log(transfer).files().get(0).chunksLogged()).isEqualTo(3);
    }

    @Test
    void thePipelineWritesEachChunkAtItsOffsetAndReportsTheChunksInOrderWithTheirDigests() throws Exception {
        int chunkSize = 64 * 1024;
        byte[] data = new byte[3 * chunkSize + 17];
        new Random(42).nextBytes(data);
        Path file = dir.resolve("out.img");
        ChunkPipeline pipeline = new ChunkPipeline(jobs.hashers, 3, 16 * 1024);
        MessageDigest whole = ChunkPipeline.sha256();
        List<ChunkPipeline.Chunk> reported = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (StagedFileWriter out = StagedFileWriter.open(file, true, true);
             ChunkPipeline.Run run = pipeline.start(out, false, whole, reported::add)) {
            ChunkPipeline.Source source = ChunkPipeline.source(new ByteArrayInputStream(data));
            for (int index = 0; index * chunkSize < data.length; index++) {
                run.chunk(index, (long) index * chunkSize, Math.min(chunkSize, data.length - index * chunkSize), source);
            }
            run.finish();
        }
        assertThat(ChunkPipeline.hex(whole)).isEqualTo(sha256(data));
        assertThat(reported).extracting(ChunkPipeline.Chunk::index).containsExactly(0, 1, 2, 3);
        for (ChunkPipeline.Chunk chunk : reported) {
            assertThat(chunk.sha256()).isEqualTo(sha256(java.util.Arrays.copyOfRange(data, (int) chunk.position(),
                    (int) chunk.position() + chunk.length())));
        }
        assertThat(Files.readAllBytes(file)).isEqualTo(data);
    }

    @Test
    void zerosStayHolesAndOutOfTheDigestsUnlessDataFollowsThem() throws Exception {
        int chunkSize = 8192;
        byte[] data = new byte[5 * chunkSize];
        new Random(7).nextBytes(data);
        java.util.Arrays.fill(data, 0, chunkSize, (byte) 0);                  // chunk 0: zeros
        java.util.Arrays.fill(data, chunkSize, chunkSize + 4096, (byte) 0);    // chunk 1: zeros, then data
        java.util.Arrays.fill(data, 3 * chunkSize, 5 * chunkSize, (byte) 0);  // chunks 3 and 4: trailing zeros
        ChunkPipeline pipeline = new ChunkPipeline(jobs.hashers, 2, 4096);
        MessageDigest whole = ChunkPipeline.sha256();
        List<ChunkPipeline.Chunk> reported = new java.util.concurrent.CopyOnWriteArrayList<>();
        Path file = dir.resolve("thin.img");
        try (StagedFileWriter out = StagedFileWriter.open(file, true, true);
             ChunkPipeline.Run run = pipeline.start(out, true, whole, reported::add)) {
            ChunkPipeline.Source source = ChunkPipeline.source(new ByteArrayInputStream(data));
            for (int index = 0; index < 5; index++) {
                run.chunk(index, (long) index * chunkSize, chunkSize, source);
            }
            run.finish();
        }
        assertThat(reported).extracting(ChunkPipeline.Chunk::zero).containsExactly(true, false, false, true, true);
        for (ChunkPipeline.Chunk chunk : reported) {
            assertThat(chunk.sha256()).isEqualTo(sha256(java.util.Arrays.copyOfRange(data, (int) chunk.position(),
                    (int) chunk.position() + chunk.length())));
        }
        assertThat(ChunkPipeline.hex(whole)).isEqualTo(sha256(java.util.Arrays.copyOf(data, 3 * chunkSize)));
        assertThat(Files.readAllBytes(file)).as("nothing written after the last data")
                .isEqualTo(java.util.Arrays.copyOf(data, 3 * chunkSize));
    }

    @Test
    void aShortStreamFailsInsteadOfReportingAPartialChunk() {
        ChunkPipeline pipeline = new ChunkPipeline(jobs.hashers, 4, 4096);
        List<ChunkPipeline.Chunk> reported = new java.util.concurrent.CopyOnWriteArrayList<>();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> {
            try (ChunkPipeline.Run run = pipeline.start(null, false, null, reported::add)) {
                run.chunk(0, 0, 10_000, ChunkPipeline.source(new ByteArrayInputStream(new byte[5000])));
                run.finish();
            }
        }).isInstanceOf(java.io.EOFException.class);
        assertThat(reported).isEmpty();
    }

    @Test
    void theReceiverCommitsEveryVerifiedChunkAndStopsAtACorruptOne() throws Exception {
        byte[] data = randomBytes(2500);
        PackageFile file = packageOf("received.img", data, 1000);
        UUID transfer = UUID.randomUUID();
        checkpoints.register(transfer, Checkpoints.Side.TARGET, file);
        byte[] sent = data.clone();
        sent[1500] ^= 0x5a;
        Path path = dir.resolve("received.img");

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> receiver().receive(transfer, file, path, 0, file.size(),
                        ChunkPipeline.source(new ByteArrayInputStream(sent)), null))
                .isInstanceOfSatisfying(io.vcc.api.problem.VccProblemException.class,
                        e -> assertThat(e.type()).isEqualTo(io.vcc.api.problem.ProblemType.CHUNK_CORRUPT));
        assertThat(checkpoints.committed(transfer, Checkpoints.Side.TARGET, "received.img")).isEqualTo(1000);

        long committed = receiver().receive(transfer, file, path, 1000, file.size(),
                ChunkPipeline.source(new ByteArrayInputStream(java.util.Arrays.copyOfRange(data, 1000, data.length))), null);
        assertThat(committed).isEqualTo(2500);
        assertThat(Files.readAllBytes(path)).isEqualTo(data);
    }

    @Test
    void chunksIntactOnDiskWithoutACheckpointAreRecoveredNotSentAgain() throws Exception {
        byte[] data = randomBytes(4500);
        PackageFile file = packageOf("recovered.img", data, 1000);
        UUID transfer = UUID.randomUUID();
        checkpoints.register(transfer, Checkpoints.Side.TARGET, file);
        Path path = dir.resolve("recovered.img");
        byte[] onDisk = java.util.Arrays.copyOf(data, 3700);
        onDisk[2100] ^= 0x5a;
        Files.write(path, onDisk);

        // Chunks 0 and 1 are intact, chunk 2 is not: the log moves to 2000 and no further.
        assertThat(receiver().recover(transfer, file, path)).isEqualTo(2000);
        assertThat(checkpoints.log(transfer).files().get(0).chunksLogged()).isEqualTo(2);
        assertThat(receiver().recover(transfer, file, path)).isEqualTo(2000);
    }

    private ChunkReceiver receiver() {
        return new ChunkReceiver(new ChunkPipeline(jobs.hashers, 4, 4096), checkpoints, jobs.hashers, 2, () -> false);
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static byte[] randomBytes(int size) {
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        return data;
    }

    private static PackageFile packageOf(String name, byte[] data, int chunkSize) throws Exception {
        List<String> chunks = new java.util.ArrayList<>();
        for (int offset = 0; offset < data.length; offset += chunkSize) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(data, offset, Math.min(chunkSize, data.length - offset));
            chunks.add(HexFormat.of().formatHex(digest.digest()));
        }
        String whole = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        return new PackageFile(name, data.length, whole, chunkSize, chunks);
    }
}

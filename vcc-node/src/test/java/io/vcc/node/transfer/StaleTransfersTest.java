package io.vcc.node.transfer;

import io.vcc.node.packaging.Staging;
import static org.assertj.core.api.Assertions.assertThat;

import io.vcc.api.transfer.PackageFile;
import io.vcc.node.VccNodeApplication;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/** Leftovers of transfers the server could not clean up go after the TTL, with their checkpoints; live ones stay. */
@SpringBootTest(classes = VccNodeApplication.class, properties = {
        "spring.config.name=vcc-node", "vcc.service-name=vcc-node-test", "vcc.embedded-postgres.ephemeral=true",
        "vcc.home=target/test-home/vcc-node-janitor-test", "server.port=0", "vcc.transfers.staging-ttl=1h"})
class StaleTransfersTest {

    private static final PackageFile FILE = new PackageFile("disk.img", 3, "a".repeat(64), 1000, List.of("1".repeat(64)));

    @Autowired
    StaleTransfers janitor;

    @Autowired
    Staging staging;

    @Autowired
    Checkpoints checkpoints;

    @Test
    void stagingUnchangedForLongerThanTheTtlIsRemovedWithItsCheckpoints() throws Exception {
        Staging.deleteTree(staging.root());
        UUID abandoned = staged(Duration.ofHours(3));
        UUID recent = staged(Duration.ofMinutes(10));
        Path notATransfer = Files.createDirectories(staging.root().resolve("lost+found"));
        Files.setLastModifiedTime(notATransfer, FileTime.from(Instant.now().minus(Duration.ofDays(3))));

        assertThat(janitor.sweep()).containsExactly(abandoned);

        assertThat(staging.transferDir(abandoned)).doesNotExist();
        assertThat(checkpoints.log(abandoned).files()).isEmpty();
        assertThat(staging.importDir(recent).resolve("disk.img")).exists();
        assertThat(checkpoints.log(recent).files()).hasSize(1);
        assertThat(notATransfer).exists();
        assertThat(janitor.sweep()).isEmpty();
    }

    /** A transfer's received file and checkpoint, last touched {@code age} ago. */
    private UUID staged(Duration age) throws Exception {
        UUID transfer = UUID.randomUUID();
        checkpoints.register(transfer, Checkpoints.Side.TARGET, FILE);
        Path file = Files.createDirectories(staging.importDir(transfer)).resolve("disk.img");
        Files.write(file, new byte[] {1, 2, 3});
        FileTime then = FileTime.from(Instant.now().minus(age));
        try (Stream<Path> paths = Files.walk(staging.transferDir(transfer))) {
            for (Path path : paths.toList()) {
                Files.setLastModifiedTime(path, then);
            }
        }
        return transfer;
    }
}

package io.vcc.node.adapter.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the libvirt adapter's tests share: one connection to libvirt's in-process {@code test:///default} driver
 * per class (skipped without libvirt0, see {@link LibvirtRequired}), a director that keeps VDCs in memory, and
 * disk images in the test's own directory.
 */
abstract class LibvirtTestBed {

    static LibvirtConnection connection;

    @TempDir
    Path home;

    final InMemoryDirector director = new InMemoryDirector();
    Path imagesDir;

    @BeforeAll
    static void connect() {
        LibvirtRequired.check();
        connection = LibvirtConnection.open("test:///default");
    }

    @AfterAll
    static void disconnect() {
        if (connection != null) {
            connection.close();
        }
    }

    @BeforeEach
    void images() {
        imagesDir = home.resolve("images");
    }

    LibvirtHypervisor newHypervisor(Duration shutdownTimeout) {
        return new LibvirtHypervisor(connection, new LibvirtImages(imagesDir, qemuImg("qemu-img")), director, "", shutdownTimeout);
    }

    /** {@code command} with the node's default limits. */
    static QemuImg qemuImg(String command) {
        return new QemuImg(command, Duration.ofSeconds(30), Duration.ofMinutes(30), 1L << 30);
    }

    /** Bytes the file takes on disk (st_blocks × 512): how sparse it is. */
    static long allocatedBytes(Path file) throws Exception {
        Process stat = new ProcessBuilder("stat", "-c", "%b", file.toString()).start();
        String blocks = new String(stat.getInputStream().readAllBytes()).strip();
        assertThat(stat.waitFor()).isZero();
        return Long.parseLong(blocks) * 512;
    }

    static void assertProblem(Runnable action, ProblemType type) {
        assertThatThrownBy(action::run).isInstanceOfSatisfying(VccProblemException.class,
                problem -> assertThat(problem.type()).as(problem.getMessage()).isEqualTo(type));
    }
}

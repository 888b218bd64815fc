package io.vcc.node.adapter.sim.ha;

import io.vcc.support.VccHome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;
import org.springframework.core.env.Environment;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * A customer VM's disk (one sparse file, on its customer system: gone with it when it fails) and its replica
 * in the pool (a file that survives), chunk by chunk.
 */
@Component
@ConditionalOnProperty(name = "vcc.adapters.hypervisor", havingValue = "sim", matchIfMissing = true)
class SimHaDisks {

    private final Path disks;
    private final Path replicas;

    SimHaDisks(Environment environment) {
        Path root = VccHome.of(environment).resolve("ha");
        this.disks = root.resolve("disks");
        this.replicas = root.resolve("replicas");
        try {
            Files.createDirectories(disks);
            Files.createDirectories(replicas);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path disk(UUID vm) {
        return disks.resolve(vm + ".img");
    }

    Path replica(UUID vm) {
        return replicas.resolve(vm + ".img");
    }

    /** Where a replication pass puts the chunks it sends, at their offsets, until it is applied to the replica. */
    Path delta(UUID vm, UUID pass) {
        return replicas.resolve(vm + "." + pass + ".delta");
    }

    void create(UUID vm, long bytes) {
        sparse(disk(vm), bytes);
    }

    /** The VM starts from its replica: what it wrote since the last pass is lost, as on a real host failure. */
    void restoreFromReplica(UUID vm, long bytes) {
        try {
            if (Files.exists(replica(vm))) {
                Files.copy(replica(vm), disk(vm), StandardCopyOption.REPLACE_EXISTING);
            } else {
                Files.deleteIfExists(disk(vm));
                sparse(disk(vm), bytes);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    byte[] read(Path file, long offset, int length) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate(length);
            while (buffer.hasRemaining() && channel.read(buffer, offset + buffer.position()) >= 0) {
                // until full or end of file
            }
            return buffer.array();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void write(Path file, long offset, byte[] bytes) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.CREATE)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer, offset + buffer.position());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Makes the file {@code bytes} long, with a hole where it grows. */
    static void sparse(Path file, long bytes) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.CREATE)) {
            channel.truncate(bytes);
            if (channel.size() < bytes) {
                channel.write(ByteBuffer.allocate(1), bytes - 1);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

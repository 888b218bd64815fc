package io.vcc.ovf;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Writes members as files under a directory, never outside it, and removes what it created when the
 * package turns out bad.
 */
final class DirectorySink implements MemberSink {

    private final Path root;
    private final Deque<Path> created = new ArrayDeque<>();

    DirectorySink(Path root) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        Files.createDirectories(this.root);
    }

    @Override
    public OutputStream open(String name, long size) throws IOException {
        Path target = PackagePaths.resolve(root, name);
        createParents(target.getParent());
        // CREATE_NEW and NOFOLLOW_LINKS: never write through a link or over something that was already there.
        OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS);
        created.push(target);
        return out;
    }

    /** Deletes the files and directories this sink created, newest first. Best effort. */
    void deleteCreated() {
        while (!created.isEmpty()) {
            try {
                Files.deleteIfExists(created.pop());
            } catch (IOException ignored) {
                // Nothing better to do while already failing; the caller reports the original problem.
            }
        }
    }

    private void createParents(Path directory) throws IOException {
        Deque<Path> missing = new ArrayDeque<>();
        for (Path step = directory; !step.equals(root) && !Files.isDirectory(step, LinkOption.NOFOLLOW_LINKS);
                step = step.getParent()) {
            missing.push(step);
        }
        while (!missing.isEmpty()) {
            Path next = missing.pop();
            Files.createDirectory(next);
            created.push(next);
        }
    }
}

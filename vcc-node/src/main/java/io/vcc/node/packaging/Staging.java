package io.vcc.node.packaging;

import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import io.vcc.support.VccHome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The node's staging area: {@code staging/<transferId>/export} holds the package this node exported,
 * {@code staging/<transferId>/import} what it receives, {@code staging/uploads/<uploadId>} a package a user
 * uploads. File names come from peers and the server, so only
 * plain names are accepted.
 */
@Component
public class Staging {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,254}");

    private final Path root;

    Staging(Environment environment) {
        this.root = VccHome.of(environment).resolve("staging");
    }

    public Path root() {
        return root;
    }

    public Path exportDir(UUID transferId) {
        return root.resolve(transferId.toString()).resolve("export");
    }

    public Path importDir(UUID transferId) {
        return root.resolve(transferId.toString()).resolve("import");
    }

    /** Where an upload's bytes and, once complete, its extracted package are staged. */
    public Path uploadDir(UUID uploadId) {
        return root.resolve("uploads").resolve(uploadId.toString());
    }

    public Path transferDir(UUID transferId) {
        return root.resolve(transferId.toString());
    }

    public static String checkName(String name) {
        if (name == null || !NAME.matcher(name).matches() || name.contains("..")) {
            throw new VccProblemException(ProblemType.VALIDATION, "Not a plain package file name: " + name);
        }
        return name;
    }

    public static Path file(Path directory, String name) {
        return directory.resolve(checkName(name));
    }

    public void delete(UUID transferId) throws IOException {
        deleteTree(transferDir(transferId));
    }

    public static void deleteTree(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}

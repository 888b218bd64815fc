package io.vcc.support.db;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A service killed without a chance to shut down (kill -9, OOM killer, power cut of the JVM alone)
 * leaves its embedded PostgreSQL running on the data directory, and PostgreSQL refuses to start twice
 * on one directory. Before starting, this stops such an orphan: the postmaster named in
 * {@code postmaster.pid} if it is alive and is a postgres process, with a fast shutdown (SIGINT), which
 * keeps every committed transaction.
 */
final class OrphanedPostgres {

    private static final Logger log = LoggerFactory.getLogger(OrphanedPostgres.class);
    private static final long WAIT_SECONDS = 60;

    private OrphanedPostgres() {
    }

    static void stop(Path dataDirectory) throws IOException {
        Optional<ProcessHandle> orphan = postmaster(dataDirectory);
        if (orphan.isEmpty()) {
            return;
        }
        ProcessHandle postmaster = orphan.get();
        log.warn("PostgreSQL {} from an earlier run still serves {}; stopping it", postmaster.pid(), dataDirectory);
        try {
            new ProcessBuilder("kill", "-INT", Long.toString(postmaster.pid())).inheritIO().start().waitFor();
            postmaster.onExit().get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while stopping PostgreSQL " + postmaster.pid(), e);
        } catch (Exception e) {
            throw new IOException("PostgreSQL " + postmaster.pid() + " from an earlier run still serves " + dataDirectory
                    + " and did not stop within " + WAIT_SECONDS + " s; stop it and start again", e);
        }
    }

    static Optional<ProcessHandle> postmaster(Path dataDirectory) throws IOException {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        List<String> lines = Files.readAllLines(pidFile);
        if (lines.isEmpty() || !lines.get(0).strip().matches("\\d+")) {
            return Optional.empty();
        }
        return ProcessHandle.of(Long.parseLong(lines.get(0).strip()))
                .filter(ProcessHandle::isAlive)
                .filter(process -> process.info().command().map(command -> command.endsWith("postgres")).orElse(false))
                .filter(process -> process.info().arguments()
                        .map(arguments -> String.join(" ", arguments).contains(dataDirectory.toString())).orElse(true));
    }
}

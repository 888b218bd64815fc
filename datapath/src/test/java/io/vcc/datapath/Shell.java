package io.vcc.datapath;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/** Runs the few system commands the namespace test and the benchmark need, each bounded in time. */
public final class Shell {

    public record Result(int exitCode, String output) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    private Shell() {
    }

    public static Result run(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new Result(-1, String.join(" ", command) + ": timed out");
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            return new Result(-2, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-3, "interrupted");
        }
    }

    /** Runs a command and fails loudly when it fails: setting up a topology must not half-succeed silently. */
    public static String must(String... command) {
        Result result = run(command);
        if (!result.ok()) {
            throw new IllegalStateException(String.join(" ", command) + " exited " + result.exitCode() + ": "
                    + result.output());
        }
        return result.output();
    }

    /** Runs {@code command} inside network namespace {@code ns}. */
    public static Result in(String ns, String... command) {
        String[] full = new String[command.length + 4];
        full[0] = "ip";
        full[1] = "netns";
        full[2] = "exec";
        full[3] = ns;
        System.arraycopy(command, 0, full, 4, command.length);
        return run(full);
    }

    public static boolean isRoot() {
        Result id = run("id", "-u");
        return id.ok() && id.output().trim().equals("0");
    }

    public static boolean hasNetns() {
        return run("ip", "netns", "list").ok();
    }

    /**
     * Skips the calling test with {@code reason} printed when {@code condition} does not hold, so the suite
     * passes on a machine without root or iproute2; {@code VCC_REQUIRE_NETNS=1} (CI) makes it a failure.
     */
    public static void require(boolean condition, String reason) {
        if (condition) {
            return;
        }
        if ("1".equals(System.getenv("VCC_REQUIRE_NETNS"))) {
            Assertions.fail(reason + ", and VCC_REQUIRE_NETNS=1 requires it");
        }
        System.out.println("Skipping: " + reason);
        Assumptions.assumeTrue(false, reason);
    }

    public static List<String> lines(String output) {
        return output.lines().toList();
    }
}

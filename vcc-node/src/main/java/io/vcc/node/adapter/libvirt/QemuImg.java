package io.vcc.node.adapter.libvirt;

import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@code qemu-img} on a package's disk image, which comes from a tenant and is not trusted: packages from
 * VMware and VirtualBox carry VMDK (streamOptimized), others qcow2 or VHD, and a hypervisor given those bytes as
 * a raw disk would boot garbage. The format is always given ({@code -f}), never probed, and each run is bounded:
 * a deadline after which the process (and anything it started) is killed, and {@code prlimit} limits on its
 * address space and on the size of the files it writes.
 */
final class QemuImg {

    private static final Logger log = LoggerFactory.getLogger(QemuImg.class);
    /** qemu-img info prints a few KiB; a VMDK naming thousands of extents more, and is refused anyway. */
    private static final int MAX_OUTPUT = 1 << 20;

    private final String command;
    private final Duration inspectTimeout;
    private final Duration convertTimeout;
    private final long memoryBytes;

    /**
     * @param inspectTimeout how long {@code qemu-img info} may take
     * @param convertTimeout how long {@code qemu-img convert} may take
     * @param memoryBytes    the address space either may use
     */
    QemuImg(String command, Duration inspectTimeout, Duration convertTimeout, long memoryBytes) {
        this.command = command;
        this.inspectTimeout = inspectTimeout;
        this.convertTimeout = convertTimeout;
        this.memoryBytes = memoryBytes;
    }

    /**
     * The qemu-img format of an {@code ovf:format} URI; {@code null} for raw (also vcc's own and a blank disk's
     * missing format). Refuses formats qemu-img does not read with {@code package-unsupported}.
     */
    static String format(String ovfFormat) {
        if (ovfFormat == null) {
            return null;
        }
        String uri = ovfFormat.toLowerCase(Locale.ROOT);
        if (uri.contains("vmdk")) {
            return "vmdk";
        }
        if (uri.contains("qcow")) {
            return "qcow2";
        }
        if (uri.contains("vhdx")) {
            return "vhdx";
        }
        if (uri.contains("vhd")) {
            return "vpc";
        }
        if (uri.contains("raw")) {
            return null;
        }
        throw new VccProblemException(ProblemType.PACKAGE_UNSUPPORTED, "Disk format " + ovfFormat
                + " is not supported on this node; it takes raw, VMDK, qcow2 and VHD(X) images");
    }

    /** Refuses, before anything is created, when this node has no {@code qemu-img} (or {@code prlimit}) to convert with. */
    void requireAvailable(String ovfFormat) {
        String format = format(ovfFormat);
        if (format == null) {
            return;
        }
        Run version;
        try {
            version = run(List.of(command, "--version"), inspectTimeout, 0);
        } catch (IOException e) {
            version = new Run(-1, e.getMessage(), false);
        }
        if (version.exit() != 0) {
            throw new VccProblemException(ProblemType.PACKAGE_UNSUPPORTED, "A " + format + " disk needs " + command
                    + " (run under prlimit) on this node to become a raw image, and it cannot run (" + version.output()
                    + "); install it (Debian: apt install qemu-utils util-linux) or set vcc.libvirt.qemu-img");
        }
    }

    /**
     * What {@code qemu-img info} reads in {@code source}, an image in {@code format}. It opens no backing file
     * (no {@code --backing-chain}); {@code -U} takes no lock, as nothing else has the staged file open.
     * Refuses with {@code package-invalid} an image qemu-img cannot read, with {@code package-unsafe} one it
     * does not finish reading within the inspection timeout (a data file or extent that is a FIFO, say).
     */
    ImageInfo inspect(Path source, String format, String what) {
        Path file = source.toAbsolutePath();
        // An absolute path: qemu-img would take "json:..." or "nbd:..." in a relative name as a protocol.
        Run info = checked(List.of(command, "info", "--output=json", "-f", format, "-U", file.toString()), inspectTimeout, 0,
                what, format, file, "inspect");
        try {
            return ImageInfo.parse(info.output());
        } catch (RuntimeException e) {
            throw new VccProblemException(ProblemType.PACKAGE_INVALID, what + ": qemu-img could not describe it as a "
                    + format + " image");
        }
    }

    /**
     * Writes {@code source}, an image in {@code format} already {@link #inspect inspected}, as a sparse raw image at
     * {@code target}, which may not grow beyond {@code maxBytes}. Refuses with {@code package-unsafe} a conversion
     * that outlasts the conversion timeout, with {@code package-invalid} one that fails; the caller removes the
     * partial output either way.
     */
    void toRaw(Path source, String format, Path target, long maxBytes, String what) {
        checked(List.of(command, "convert", "-q", "-f", format, "-O", "raw", source.toAbsolutePath().toString(),
                target.toAbsolutePath().toString()), convertTimeout, maxBytes, what, format, source.toAbsolutePath(), "convert");
    }

    private Run checked(List<String> commandLine, Duration timeout, long maxFileBytes, String what, String format, Path source,
                        String action) {
        Run run;
        try {
            run = run(commandLine, timeout, maxFileBytes);
        } catch (IOException e) {
            throw new VccProblemException(ProblemType.INTERNAL, "Cannot run " + command + ": " + e.getMessage(), e);
        }
        if (run.timedOut()) {
            throw new VccProblemException(ProblemType.PACKAGE_UNSAFE, what + ": qemu-img did not " + action + " it within "
                    + timeout + " (vcc.libvirt." + action + "-timeout); it was stopped");
        }
        if (run.exit() != 0) {
            log.info("qemu-img {} of {} failed with exit code {}: {}", action, source, run.exit(), run.output());
            throw new VccProblemException(ProblemType.PACKAGE_INVALID, what + " is not a valid " + format + " image: "
                    + forTenant(run.output(), source));
        }
        return run;
    }

    /**
     * qemu-img's complaint as the tenant may read it: with the staged file's own name only. A message that names
     * another path would tell whether that path exists on the node, so it is replaced by a plain statement.
     */
    static String forTenant(String output, Path source) {
        String text = output.replace(source.toString(), source.getFileName().toString()).strip();
        return text.isEmpty() || text.contains("/") ? "qemu-img cannot read it" : text;
    }

    record Run(int exit, String output, boolean timedOut) {
    }

    /**
     * Runs the command under {@code prlimit}: its address space is {@code memoryBytes}, the files it writes at most
     * {@code maxFileBytes} long (0: it writes none). Past {@code timeout} it is killed, with whatever it started.
     * glibc may reserve 64 MB of address space per thread that allocates (up to 8 such arenas per core), which
     * alone can take the whole limit when qemu-img's I/O threads start at once ("failed to allocate memory for
     * stack", seen in CI on a valid image); two arenas leave the limit to what the image makes qemu-img allocate.
     */
    private Run run(List<String> commandLine, Duration timeout, long maxFileBytes) throws IOException {
        List<String> limited = new ArrayList<>(List.of("prlimit", "--as=" + memoryBytes, "--fsize=" + maxFileBytes, "--"));
        limited.addAll(commandLine);
        ProcessBuilder builder = new ProcessBuilder(limited).redirectErrorStream(true);
        builder.environment().put("MALLOC_ARENA_MAX", "2");
        Process process = builder.start();
        process.getOutputStream().close();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> readBounded(process.getInputStream(), output), "qemu-img-output");
        reader.setDaemon(true);
        reader.start();
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                kill(process);
                return new Run(-1, "", true);
            }
            // Something the process left behind may hold its output open: read until the deadline, no longer.
            reader.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            if (reader.isAlive()) {
                process.getInputStream().close();
            }
        } catch (InterruptedException e) {
            kill(process);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        String text;
        synchronized (output) {
            text = output.toString(StandardCharsets.UTF_8).strip();
        }
        return new Run(process.exitValue(), text.isEmpty() && process.exitValue() != 0 ? "exit code " + process.exitValue() : text,
                false);
    }

    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        // Waited for, so the caller's removal of the partial output is not raced by a last write.
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void readBounded(InputStream in, ByteArrayOutputStream output) {
        byte[] buffer = new byte[8192];
        try (in) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                synchronized (output) {
                    if (output.size() < MAX_OUTPUT) {
                        output.write(buffer, 0, Math.min(n, MAX_OUTPUT - output.size()));
                    }
                }
            }
        } catch (IOException closed) {
            // The process was killed: what was read is all there is.
        }
    }
}

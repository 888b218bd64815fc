package io.vcc.node.adapter.libvirt;

import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Turns a package's disk image into the raw image this adapter's domains use, with {@code qemu-img}: packages
 * from VMware and VirtualBox carry VMDK (streamOptimized), others qcow2 or VHD, and a hypervisor given those
 * bytes as a raw disk would boot garbage.
 */
final class QemuImg {

    private final String command;

    QemuImg(String command) {
        this.command = command;
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

    /** Refuses, before anything is created, when this node has no {@code qemu-img} to convert with. */
    void requireAvailable(String ovfFormat) {
        String format = format(ovfFormat);
        if (format == null) {
            return;
        }
        try {
            run(List.of(command, "--version"));
        } catch (IOException | VccProblemException e) {
            throw new VccProblemException(ProblemType.PACKAGE_UNSUPPORTED, "A " + format + " disk needs " + command
                    + " on this node to become a raw image, and it cannot run (" + e.getMessage()
                    + "); install it (Debian: apt install qemu-utils) or set vcc.libvirt.qemu-img");
        }
    }

    /** Writes {@code source}, an image in {@code ovfFormat}, as a sparse raw image at {@code target}. */
    void toRaw(Path source, String ovfFormat, Path target) {
        String format = format(ovfFormat);
        try {
            run(List.of(command, "convert", "-q", "-f", format, "-O", "raw", source.toString(), target.toString()));
        } catch (IOException e) {
            throw new VccProblemException(ProblemType.INTERNAL, "Cannot run " + command + ": " + e.getMessage(), e);
        } catch (VccProblemException e) {
            throw new VccProblemException(ProblemType.PACKAGE_INVALID, "Disk image " + source.getFileName() + " is not a valid "
                    + format + " image: " + e.getMessage());
        }
    }

    private static void run(List<String> commandLine) throws IOException {
        Process process = new ProcessBuilder(commandLine).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        int exit;
        try {
            exit = process.waitFor();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (exit != 0) {
            throw new VccProblemException(ProblemType.INTERNAL, output.isEmpty() ? "exit code " + exit : output);
        }
    }
}

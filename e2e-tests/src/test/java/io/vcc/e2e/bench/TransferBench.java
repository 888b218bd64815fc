package io.vcc.e2e.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * {@code bench/transfer/run}: moves a package with one disk of {@code --size} random bytes between two vcc
 * nodes on this machine (push to a public target, or {@code --pull} to a private one) through the operator
 * API, and in the same run the same file from nginx on loopback into {@code curl | openssl dgst -sha256};
 * prints both throughputs, their ratio and, with a further transfer whose target node is stopped and
 * started again mid-transfer, the time to resume and the bytes sent again. Both sides read the disk file
 * from a warm page cache (it is read once right before each measurement; no cache is dropped).
 */
public final class TransferBench {

    private static final long WARM_UP_BYTES = 256L << 20;
    private static final int MIN_WARM_UPS = 4;
    private static final int MAX_WARM_UPS = 40;
    /** The JIT counts as settled once it compiles for less than this share of two warm-ups in a row. */
    private static final double SETTLED_JIT_SHARE = 0.05;

    /** One measured run: the vcc transfer and, right after it, the peer. */
    record Run(VccRig.TransferTimes vcc, NginxPeer.Result peer, CpuMeter.Usage peerCpu) {
    }

    private TransferBench() {
    }

    public static void main(String[] args) throws Exception {
        BenchOptions options = BenchOptions.parse(args);
        Path work = Files.createTempDirectory(Files.createDirectories(options.dir()), "vcc-transfer-bench-");
        int status = 0;
        try {
            run(options, work);
        } catch (Exception e) {
            e.printStackTrace();
            status = 1;
        } finally {
            deleteTree(work);
        }
        System.exit(status);
    }

    private static void run(BenchOptions options, Path work) throws Exception {
        say("disk %s, chunk %s, %s, %s, %d run(s), files under %s", mib(options.sizeBytes()), mib(options.chunkBytes()),
                options.pull() ? "pull (private target)" : "push (public target)",
                options.tls() ? "TLS on every hop (nginx with TLS as the peer)" : "plain HTTP", options.runs(), work);
        try (VccRig rig = new VccRig(work.resolve("vcc"), options)) {
            String vmId = rig.createVm("bench-vm", options.sizeBytes());
            Path disk = rig.sourceDisk(vmId);
            long fill = System.nanoTime();
            String digest = RandomDisk.fill(disk, options.sizeBytes(), 20261202L);
            say("filled %s with random bytes in %.1f s; SHA-256 %s", disk.getFileName(), (System.nanoTime() - fill) / 1e9, digest);

            // Nodes are long-running services: small transfers first, until the JIT has compiled what they run. This
            // JVM holds the server and both nodes, whose code the one C2 thread of a 2-core machine compiles on the
            // same two cores: after 4 warm-ups it still took a third to two thirds of a core during a measured run.
            String warmVm = rig.createVm("warm-up-vm", WARM_UP_BYTES);
            RandomDisk.fill(rig.sourceDisk(warmVm), Math.min(WARM_UP_BYTES, options.sizeBytes()), 1L);
            int settled = 0;
            for (int i = 1; i <= MAX_WARM_UPS && (i <= MIN_WARM_UPS || settled < 2); i++) {
                long jitBefore = jitMillis();
                VccRig.TransferTimes warm = rig.copy(warmVm, "warm-up-copy-" + i);
                double jit = jitSecondsSince(jitBefore);
                settled = jit < SETTLED_JIT_SHARE * warm.totalSeconds() ? settled + 1 : 0;
                say("warm-up %d: %d bytes in %.2f s (%.0f MB/s), the JIT compiling %.2f s of its %.2f s, not counted", i,
                        warm.packageBytes(), warm.transferSeconds(), warm.transferMegabytesPerSecond(), jit, warm.totalSeconds());
            }

            List<Run> runs = new ArrayList<>();
            for (int i = 1; i <= options.runs(); i++) {
                runs.add(measure(options, rig, vmId, disk, digest, work, i));
            }

            VccRig.ResumeTimes resume = null;
            if (options.resume()) {
                RandomDisk.warm(disk);
                resume = rig.copyWithTargetRestart(vmId, "bench-resume", 0.4, options.sizeBytes());
                checkCopy(rig, resume.transfer(), digest);
                say("resume: target stopped at %d committed bytes (stop took %.2f s); started again in %.2f s; "
                                + "progress %.2f s after the restart began (%.2f s after the node was up); %d bytes sent again "
                                + "(%d chunks resent); the copy's SHA-256 matches",
                        resume.committedAtKill(), resume.stopSeconds(), resume.nodeStartSeconds(), resume.restartToProgressSeconds(),
                        resume.restartToProgressSeconds() - resume.nodeStartSeconds(), resume.bytesResent(), resume.chunksResent());
            }
            summary(runs, resume);
        }
    }

    private static Run measure(BenchOptions options, VccRig rig, String vmId, Path disk, String digest, Path work, int number)
            throws Exception {
        RandomDisk.warm(disk);
        long jitBefore = jitMillis();
        VccRig.TransferTimes vcc = rig.copy(vmId, "bench-copy-" + number);
        double jit = jitSecondsSince(jitBefore);
        checkCopy(rig, vcc, digest);
        say("run %d vcc %s: package %d bytes, transfer step %.2f s = %.0f MB/s (on the wire %d bytes, %d chunks resent); "
                        + "export %.2f s, verify %.2f s, import %.2f s, whole operation %.2f s (the JIT compiling %.2f s meanwhile); "
                        + "the copy's SHA-256 matches",
                number, vcc.direction(), vcc.packageBytes(), vcc.transferSeconds(), vcc.transferMegabytesPerSecond(), vcc.bytesOnWire(),
                vcc.chunksResent(), vcc.exportSeconds(), vcc.verifySeconds(), vcc.importSeconds(), vcc.totalSeconds(), jit);
        if (vcc.transferCpu() != null) {
            say("run %d during the transfer step: this JVM %.2f cores, the whole machine %.2f busy cores (of %d)", number,
                    vcc.transferCpu().processCores(), vcc.transferCpu().machineCores(), Runtime.getRuntime().availableProcessors());
        }
        if (!options.peer()) {
            return new Run(vcc, null, null);
        }
        RandomDisk.warm(disk);
        CpuMeter.Sample before = CpuMeter.sample();
        long peerJitBefore = jitMillis();
        NginxPeer.Result peer = NginxPeer.measure(disk, work, options.tls());
        double peerJit = jitSecondsSince(peerJitBefore);
        CpuMeter.Usage used = CpuMeter.between(before, CpuMeter.sample());
        if (!peer.sha256().equals(digest)) {
            throw new IllegalStateException("The peer's SHA-256 is " + peer.sha256() + ", not " + digest);
        }
        say("run %d peer nginx " + (options.tls() ? "(TLS) " : "") + "-> curl | openssl dgst -sha256: %d bytes in %.2f s = %.0f MB/s; SHA-256 matches; "
                + "the whole machine %.2f busy cores (this JVM's JIT compiling %.2f s meanwhile)", number, peer.bytes(), peer.seconds(),
                peer.megabytesPerSecond(), used.machineCores(), peerJit);
        return new Run(vcc, peer, used);
    }

    private static void checkCopy(VccRig rig, VccRig.TransferTimes copy, String digest) throws IOException {
        String copied = RandomDisk.sha256(rig.targetDisk(copy.targetVmId()));
        if (!copied.equals(digest)) {
            throw new IllegalStateException("The copied disk's SHA-256 is " + copied + ", not " + digest);
        }
    }

    private static void summary(List<Run> runs, VccRig.ResumeTimes resume) {
        System.out.println();
        System.out.printf(Locale.ROOT, "| run | vcc MB/s | peer MB/s | ratio vcc/peer | busy cores vcc / peer | export s | transfer s | verify s | operation s | peer s | operation ratio |%n");
        System.out.printf(Locale.ROOT, "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|%n");
        for (int i = 0; i < runs.size(); i++) {
            Run run = runs.get(i);
            VccRig.TransferTimes vcc = run.vcc();
            System.out.printf(Locale.ROOT, "| %d | %.0f | %s | %s | %s / %s | %.2f | %.2f | %.2f | %.2f | %s | %s |%n", i + 1,
                    vcc.transferMegabytesPerSecond(),
                    run.peer() == null ? "-" : String.format(Locale.ROOT, "%.0f", run.peer().megabytesPerSecond()),
                    run.peer() == null ? "-" : String.format(Locale.ROOT, "%.2f", vcc.transferMegabytesPerSecond() / run.peer().megabytesPerSecond()),
                    vcc.transferCpu() == null ? "-" : String.format(Locale.ROOT, "%.2f", vcc.transferCpu().machineCores()),
                    run.peerCpu() == null ? "-" : String.format(Locale.ROOT, "%.2f", run.peerCpu().machineCores()),
                    vcc.exportSeconds(), vcc.transferSeconds(), vcc.verifySeconds(), vcc.totalSeconds(),
                    run.peer() == null ? "-" : String.format(Locale.ROOT, "%.2f", run.peer().seconds()),
                    run.peer() == null ? "-" : String.format(Locale.ROOT, "%.2f", run.peer().seconds() / vcc.totalSeconds()));
        }
        List<Run> withPeer = runs.stream().filter(run -> run.peer() != null).toList();
        // Each run measures both right after each other; the median run is the least moved by this
        // machine's neighbours, which shift either side by a third from one run to the next.
        printMedian("ratio vcc/peer (the transfer step)", withPeer.stream()
                .mapToDouble(run -> run.vcc().transferMegabytesPerSecond() / run.peer().megabytesPerSecond()).sorted().toArray());
        // What a user waits for: from the POST to SUCCEEDED, export, verify and import included.
        printMedian("operation ratio peer s / vcc operation s", withPeer.stream()
                .mapToDouble(run -> run.peer().seconds() / run.vcc().totalSeconds()).sorted().toArray());
        if (resume != null) {
            System.out.println();
            System.out.printf(Locale.ROOT, "| resume: committed at stop | stop s | node start s | restart -> progress s | node up -> progress s | bytes resent | chunks resent |%n");
            System.out.printf(Locale.ROOT, "|---:|---:|---:|---:|---:|---:|---:|%n");
            System.out.printf(Locale.ROOT, "| %d | %.2f | %.2f | %.2f | %.2f | %d | %d |%n", resume.committedAtKill(), resume.stopSeconds(),
                    resume.nodeStartSeconds(), resume.restartToProgressSeconds(),
                    resume.restartToProgressSeconds() - resume.nodeStartSeconds(), resume.bytesResent(), resume.chunksResent());
        }
    }

    private static void printMedian(String what, double[] sorted) {
        if (sorted.length == 0) {
            return;
        }
        double median = sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
        System.out.printf(Locale.ROOT, "%nmedian %s over %d run(s): %.2f (lowest %.2f, highest %.2f)%n",
                what, sorted.length, median, sorted[0], sorted[sorted.length - 1]);
    }

    /** How long this JVM's JIT compilers have compiled, summed over their threads. */
    private static long jitMillis() {
        return ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
    }

    private static double jitSecondsSince(long jitMillis) {
        return (jitMillis() - jitMillis) / 1e3;
    }

    private static void say(String format, Object... args) {
        System.out.printf(Locale.ROOT, "bench: " + format + "%n", args);
    }

    private static String mib(long bytes) {
        return bytes % (1L << 30) == 0 ? (bytes >> 30) + " GiB" : bytes % (1L << 20) == 0 ? (bytes >> 20) + " MiB" : bytes + " B";
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}

package io.vcc.datapath.bench;

import static io.vcc.datapath.Shell.must;

import io.vcc.datapath.Datapath;
import io.vcc.datapath.DatapathConfig;
import io.vcc.datapath.DatapathSnapshot;
import io.vcc.datapath.DropReason;
import io.vcc.datapath.NetnsLab;
import io.vcc.datapath.Peer;
import io.vcc.datapath.Segment;
import io.vcc.datapath.Shell;
import io.vcc.datapath.frame.EthernetFrame;
import io.vcc.datapath.frame.Vxlan;
import io.vcc.datapath.tunnel.TunnelKey;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The datapath benchmark: frames of 64 and 1500 octets through the full vcc path (VXLAN in at node A, host
 * and customer and datacenter tags pushed, AES-GCM tunnel to node B, tags popped, VXLAN out) and, in the
 * same run and with the same load generator, through the Linux kernel's own path built from the same
 * parts of two clouds: VXLAN into a bridge, VXLAN across to a second namespace's bridge, VXLAN out (kernel
 * VXLAN devices and bridges in network namespaces; no tags, no encryption, which the kernel here cannot do).
 * Then one-way latency at one frame in flight, against a direct loopback baseline.
 *
 * <p>Everything runs on this machine: loopback, and veths into namespaces it makes and removes. Run it
 * with {@code bench/datapath/run} (root, for the namespaces).
 */
public final class DatapathBench {

    private static final int WINDOW = 512;
    private static final int[] SIZES = {64, 1500};

    /**
     * One throughput measurement. {@code busyCores} is the whole machine's busy time, other people's work
     * included; {@code pathCores} is the CPU time spent for the path under test alone: this JVM's (load
     * generator and sink, datapath threads, the kernel's work done in their system calls, which is where
     * the kernel path does its forwarding) plus the kernel's softirq threads'. On a machine that others
     * keep busy the first says little (it is always all cores), the second still compares the paths' cost.
     */
    private record Throughput(String path, int size, double fps, long lost, double busyCores, double datapathCores,
                              double pathCores) {
        double fpsPerBusyCore() {
            return busyCores > 0 ? fps / busyCores : 0;
        }

        double fpsPerPathCore() {
            return pathCores > 0 ? fps / pathCores : 0;
        }
    }

    /** p50 and p99 one-way latency in microseconds, and how many samples they come from. */
    private record Latency(String path, double p50, double p99, long samples) {
    }

    /** One vcc variant under test: a pair of nodes started with the same settings. */
    private record Variant(String name, Datapath a, Datapath b) {
    }

    public static void main(String[] args) throws Exception {
        int seconds = intArg(args, "--seconds", 5);
        int eventLoops = intArg(args, "--event-loops", 2);
        int flows = intArg(args, "--flows", 2);
        int runs = intArg(args, "--runs", 3);
        int warmUp = intArg(args, "--warm-up", 6);
        // The shipped setting first; each further value is the same path with only that setting changed,
        // measured in the same run so that the machine's load hits both alike (0: the loops sleep at once).
        int shippedSpin = (int) (DatapathConfig.DEFAULT_SPIN_BEFORE_SLEEP.toNanos() / 1000);
        List<Integer> spins = intList(args, "--spin-us", List.of(shippedSpin, 0));
        List<Integer> gsos = intList(args, "--gso", List.of());
        List<Integer> gros = intList(args, "--gro", List.of());
        boolean kernel = Shell.isRoot() && Shell.hasNetns();

        System.out.println("# vcc datapath benchmark");
        System.out.println("machine: " + lscpuModel() + ", " + Runtime.getRuntime().availableProcessors() + " cores, kernel "
                + must("uname", "-r").trim() + ", java " + System.getProperty("java.version"));
        System.out.println("load average at start: " + loadAverage());
        System.out.printf("settings: %d run(s), %d s per measurement after 1 s warm-up, window %d frames, %d sending "
                + "flows, %d event loops per node, vcc variants (spin before sleep, us): %s, vcc warm-up %d s each%n", runs,
                seconds, WINDOW, flows, eventLoops, spins, warmUp);

        List<Throughput> results = new ArrayList<>();
        List<Latency> latencies = new ArrayList<>();
        InetAddress loopback = InetAddress.getLoopbackAddress();
        TunnelKey key = new TunnelKey(1, randomKey());
        List<Variant> variants = new ArrayList<>();
        try (LoadGenerator vccLoad = new LoadGenerator(loopback, loopback, flows)) {
            for (int spin : spins) {
                variants.add(variant(spin == spins.get(0) ? "vcc" : "vcc spin " + spin + " us", spin, true, false, loopback,
                        eventLoops, key, vccLoad));
            }
            for (int gso : gsos) {
                variants.add(variant("vcc gso " + gso, spins.get(0), gso != 0, false, loopback, eventLoops, key, vccLoad));
            }
            for (int gro : gros) {
                variants.add(variant("vcc gro " + gro, spins.get(0), true, gro != 0, loopback, eventLoops, key, vccLoad));
            }
            System.out.println("vcc transport: " + variants.get(0).a().transport()
                    + " (recvmmsg/sendmmsg batches, SO_REUSEPORT)");
            NetnsLab lab = kernel ? new NetnsLab() : null;
            LoadGenerator kernelLoad = null;
            InetSocketAddress kernelIn = null;
            try {
                if (kernel) {
                    KernelPath path = KernelPath.build(lab, flows);
                    kernelLoad = path.load;
                    kernelIn = path.in;
                }
                // The direct and kernel paths run no Java code of ours; the vcc path must be compiled before it is
                // measured, which on a loaded machine (the JIT's threads compete too) takes seconds, not one.
                for (Variant v : variants) {
                    for (int size : SIZES) {
                        vccLoad.start(datagram(size), v.a().localVtepAddress(), WINDOW, false);
                        Thread.sleep(warmUp * 500L);
                        vccLoad.stop();
                    }
                }
                for (int run = 1; run <= runs; run++) {
                    System.out.printf("run %d of %d (load average %s)%n", run, runs, loadAverage());
                    for (int size : SIZES) {
                        byte[] datagram = datagram(size);
                        results.add(measure("direct", size, vccLoad, datagram, vccLoad.sinkAddress(), seconds));
                        if (kernel) {
                            results.add(measure("kernel", size, kernelLoad, datagram, kernelIn, seconds));
                        }
                        for (Variant v : variants) {
                            results.add(measure(v.name(), size, vccLoad, datagram, v.a().localVtepAddress(), seconds));
                        }
                    }
                    byte[] small = datagram(64);
                    latencies.add(latency("direct", vccLoad, small, vccLoad.sinkAddress(), seconds));
                    if (kernel) {
                        latencies.add(latency("kernel", kernelLoad, small, kernelIn, seconds));
                    }
                    for (Variant v : variants) {
                        latencies.add(latency(v.name(), vccLoad, small, v.a().localVtepAddress(), seconds));
                    }
                }
            } finally {
                if (kernelLoad != null) {
                    kernelLoad.close();
                }
                if (lab != null) {
                    lab.close();
                }
            }
            for (Variant v : variants) {
                DatapathSnapshot snapA = v.a().snapshot();
                DatapathSnapshot snapB = v.b().snapshot();
                long drops = snapA.unassigned().totalDropped() + snapB.unassigned().totalDropped()
                        + snapA.segment(5001).stats().totalDropped() + snapB.segment(6001).stats().totalDropped();
                System.out.printf("%s: drops counted by the datapaths during the run: %d (backpressure %d)%n", v.name(),
                        drops, snapA.segment(5001).stats().dropped(DropReason.BACKPRESSURE)
                                + snapB.segment(6001).stats().dropped(DropReason.BACKPRESSURE));
            }
        } finally {
            for (Variant v : variants) {
                v.a().close();
                v.b().close();
            }
        }
        System.out.println("load average at end: " + loadAverage());

        System.out.println();
        System.out.println("| run | frame | path | frames/s | lost | busy cores | frames/s per busy core | path CPU cores | frames/s per path CPU core | datapath threads' cores |");
        System.out.println("|---:|---|---|---:|---:|---:|---:|---:|---:|---:|");
        int perRun = results.size() / runs;
        for (int i = 0; i < results.size(); i++) {
            Throughput t = results.get(i);
            System.out.printf(Locale.ROOT, "| %d | %d B | %s | %,.0f | %d | %.2f | %,.0f | %.2f | %,.0f | %s |%n", i / perRun + 1,
                    t.size, t.path, t.fps, t.lost, t.busyCores, t.fpsPerBusyCore(), t.pathCores, t.fpsPerPathCore(),
                    t.path.startsWith("vcc") ? String.format(Locale.ROOT, "%.2f", t.datapathCores) : "-");
        }
        System.out.println();
        System.out.println("one-way latency, 64 B frames, one in flight (microseconds; added = path - direct loopback UDP of the same run):");
        System.out.println("| run | path | p50 | p99 | added p50 | added p99 | samples |");
        System.out.println("|---:|---|---:|---:|---:|---:|---:|");
        int latenciesPerRun = latencies.size() / runs;
        for (int i = 0; i < latencies.size(); i++) {
            Latency l = latencies.get(i);
            Latency direct = latencies.get(i / latenciesPerRun * latenciesPerRun);
            System.out.printf(Locale.ROOT, "| %d | %s | %.1f | %.1f | %s | %s | %d |%n", i / latenciesPerRun + 1, l.path,
                    l.p50, l.p99, l == direct ? "-" : String.format(Locale.ROOT, "%.1f", l.p50 - direct.p50),
                    l == direct ? "-" : String.format(Locale.ROOT, "%.1f", l.p99 - direct.p99), l.samples);
        }

        System.out.println();
        System.out.printf("medians over %d run(s):%n", runs);
        for (Variant v : variants) {
            if (kernel) {
                for (int size : SIZES) {
                    double byRate = median(ratios(results, v.name(), "kernel", size, Throughput::fps, runs));
                    double perCore = median(ratios(results, v.name(), "kernel", size, Throughput::fpsPerBusyCore, runs));
                    double perPathCore = median(ratios(results, v.name(), "kernel", size, Throughput::fpsPerPathCore, runs));
                    System.out.printf(Locale.ROOT, "  %s / kernel, %d B frames: %.2f by frames/s, %.2f per busy core, %.2f per path CPU core%s%n",
                            v.name(), size, byRate, perCore, perPathCore, size == 64
                                    ? String.format(Locale.ROOT, " (goal >= 0.75: per busy core %s, per path CPU core %s)",
                                            perCore >= 0.75 ? "met" : "MISSED", perPathCore >= 0.75 ? "met" : "MISSED")
                                    : "");
                }
            }
            double addedP50 = median(added(latencies, v.name(), runs, true));
            double addedP99 = median(added(latencies, v.name(), runs, false));
            System.out.printf(Locale.ROOT, "  %s latency added: p50 %.1f us, p99 %.1f us (goal p99 < 50: %s)%n", v.name(),
                    addedP50, addedP99, addedP99 < 50 ? "met" : "MISSED");
        }
        if (kernel) {
            System.out.printf(Locale.ROOT, "  kernel latency added: p50 %.1f us, p99 %.1f us%n",
                    median(added(latencies, "kernel", runs, true)), median(added(latencies, "kernel", runs, false)));
        } else {
            System.out.println("  kernel path skipped: needs root and 'ip netns'");
        }
    }

    private static Variant variant(String name, int spinMicros, boolean gso, boolean gro, InetAddress loopback,
                                   int eventLoops, TunnelKey key, LoadGenerator load) {
        Datapath a = start(loopback, 108, eventLoops, spinMicros, gso, gro);
        Datapath b = start(loopback, 208, eventLoops, spinMicros, gso, gro);
        a.tagMap().putPeer(new Peer("node-b", 208, b.tunnelAddress()));
        b.tagMap().putPeer(new Peer("node-a", 108, a.tunnelAddress()));
        a.tunnelKeys().install("node-b", key);
        b.tunnelKeys().install("node-a", key);
        // one VTEP: the generator's other sockets match it by address, so nothing is flooded back to them
        a.tagMap().putSegment(new Segment("bench/net", 5001, 100, 200, List.of(load.senderAddresses()[0]),
                Set.of("node-b")));
        b.tagMap().putSegment(new Segment("bench/net", 6001, 100, 200, List.of(load.sinkAddress()),
                Set.of("node-a")));
        return new Variant(name, a, b);
    }

    private static double[] ratios(List<Throughput> results, String path, String peer, int size,
                                   java.util.function.ToDoubleFunction<Throughput> metric, int runs) {
        List<Throughput> ours = results.stream().filter(t -> t.path.equals(path) && t.size == size).toList();
        List<Throughput> theirs = results.stream().filter(t -> t.path.equals(peer) && t.size == size).toList();
        double[] r = new double[runs];
        for (int i = 0; i < runs; i++) {
            r[i] = metric.applyAsDouble(ours.get(i)) / metric.applyAsDouble(theirs.get(i));
        }
        return r;
    }

    private static double[] added(List<Latency> latencies, String path, int runs, boolean p50) {
        List<Latency> ours = latencies.stream().filter(l -> l.path.equals(path)).toList();
        List<Latency> direct = latencies.stream().filter(l -> l.path.equals("direct")).toList();
        double[] r = new double[runs];
        for (int i = 0; i < runs; i++) {
            r[i] = p50 ? ours.get(i).p50 - direct.get(i).p50 : ours.get(i).p99 - direct.get(i).p99;
        }
        return r;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static String loadAverage() {
        try {
            return String.join(" ", Arrays.copyOf(Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+"), 3));
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** The kernel's own path: two namespaces, each a bridge between two kernel VXLAN devices. */
    private record KernelPath(LoadGenerator load, InetSocketAddress in) {
        static KernelPath build(NetnsLab lab, int flows) throws InterruptedException {
            String k1 = lab.namespace("k1");
            String k2 = lab.namespace("k2");
            NetnsLab.Uplink upIn = lab.uplink(k1, "ki");
            NetnsLab.Uplink upOut = lab.uplink(k2, "ko");
            InetAddress[] mid = lab.link(k1, k2, "mid");
            for (String[] dev : new String[][] {{"", upIn.rootLink()}, {"", upOut.rootLink()}, {k1, "uplink"},
                    {k2, "uplink"}, {k1, "mid"}, {k2, "mid"}}) {
                mtu(dev[0], dev[1], 9000);
            }
            LoadGenerator load = new LoadGenerator(upIn.rootAddress(), upOut.rootAddress(), flows);
            bridge(k1, "vx-in", 5001, upIn.cloudAddress(), null);
            bridge(k1, "vx-mid", 7001, mid[0], mid[1]);
            bridge(k2, "vx-mid", 7001, mid[1], mid[0]);
            bridge(k2, "vx-out", 6001, upOut.cloudAddress(), null);
            must("bridge", "-n", k2, "fdb", "append", "00:00:00:00:00:00", "dev", "vx-out", "dst",
                    upOut.rootAddress().getHostAddress(), "port", Integer.toString(load.sinkAddress().getPort()));
            return new KernelPath(load, new InetSocketAddress(upIn.cloudAddress(), 4789));
        }

        private static void bridge(String ns, String device, int vni, InetAddress local, InetAddress remote) {
            if (Shell.run("ip", "-n", ns, "link", "show", "br0").exitCode() != 0) {
                must("ip", "-n", ns, "link", "add", "br0", "type", "bridge");
                must("ip", "-n", ns, "link", "set", "br0", "up");
            }
            List<String> command = new ArrayList<>(List.of("ip", "-n", ns, "link", "add", device, "type", "vxlan", "id",
                    Integer.toString(vni), "local", local.getHostAddress(), "dstport", "4789", "nolearning"));
            if (remote != null) {
                command.addAll(List.of("remote", remote.getHostAddress()));
            }
            must(command.toArray(String[]::new));
            must("ip", "-n", ns, "link", "set", device, "mtu", "8950", "master", "br0", "up");
        }

        private static void mtu(String ns, String device, int mtu) {
            if (ns.isEmpty()) {
                must("ip", "link", "set", device, "mtu", Integer.toString(mtu));
            } else {
                must("ip", "-n", ns, "link", "set", device, "mtu", Integer.toString(mtu));
            }
        }
    }

    private static Throughput measure(String path, int size, LoadGenerator load, byte[] datagram, InetSocketAddress to,
                                      int seconds) throws Exception {
        load.start(datagram, to, WINDOW, false);
        Thread.sleep(1000);
        LoadGenerator.Counts c0 = load.counts();
        long[] cpu0 = procStat();
        long dp0 = datapathCpuNanos();
        long path0 = pathCpuNanos();
        long t0 = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        LoadGenerator.Counts c1 = load.counts();
        long[] cpu1 = procStat();
        long dp1 = datapathCpuNanos();
        long path1 = pathCpuNanos();
        long t1 = System.nanoTime();
        load.stop();
        double elapsed = (t1 - t0) / 1e9;
        double busy = (double) (cpu1[0] - cpu0[0]) / (cpu1[1] - cpu0[1]) * Runtime.getRuntime().availableProcessors();
        Throughput result = new Throughput(path, size, (c1.received() - c0.received()) / elapsed, c1.lost() - c0.lost(),
                busy, (dp1 - dp0) / 1e9 / elapsed, (path1 - path0) / 1e9 / elapsed);
        System.out.printf(Locale.ROOT, "  %s %d B: %,.0f frames/s%n", path, size, result.fps);
        return result;
    }

    /** One-way latency with one frame in flight. */
    private static Latency latency(String path, LoadGenerator load, byte[] datagram, InetSocketAddress to, int seconds)
            throws Exception {
        load.start(datagram, to, 1, true);
        Thread.sleep(Math.max(1000, seconds * 600L));
        long[] samples = load.latencies();
        load.stop();
        long[] kept = Arrays.copyOfRange(samples, Math.min(samples.length, 200), samples.length); // warm-up
        Arrays.sort(kept);
        if (kept.length == 0) {
            return new Latency(path, Double.NaN, Double.NaN, 0);
        }
        Latency result = new Latency(path, kept[kept.length / 2] / 1e3, kept[(int) (kept.length * 0.99)] / 1e3, kept.length);
        System.out.printf(Locale.ROOT, "  %s latency: p50 %.1f us, p99 %.1f us%n", path, result.p50, result.p99);
        return result;
    }

    private static byte[] datagram(int frameSize) {
        byte[] payload = new byte[frameSize - 14];
        EthernetFrame frame = EthernetFrame.of("02:00:00:00:00:02", "02:00:00:00:00:01", 0x88B5, payload);
        return Vxlan.encapsulate(5001, frame.toBytes());
    }

    private static Datapath start(InetAddress address, int datacenterTag, int eventLoops, int spinMicros, boolean gso,
                                  boolean gro) {
        return Datapath.start(DatapathConfig.builder()
                .localVtep(new InetSocketAddress(address, 0))
                .tunnel(new InetSocketAddress(address, 0))
                .datacenterTag(datacenterTag)
                .eventLoops(eventLoops)
                .tunnelMtu(9000)
                .spinBeforeSleep(java.time.Duration.ofNanos(spinMicros * 1000L))
                .udpGso(gso)
                .udpGro(gro)
                .build());
    }

    /** {busy, total} jiffies over all CPUs, from the first line of /proc/stat. */
    private static long[] procStat() throws IOException {
        String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long total = 0;
        for (int i = 1; i < fields.length; i++) {
            total += Long.parseLong(fields[i]);
        }
        long idle = Long.parseLong(fields[4]) + Long.parseLong(fields[5]);
        return new long[] {total - idle, total};
    }

    /** This JVM's CPU time and the kernel's ksoftirqd threads', in nanoseconds. */
    private static long pathCpuNanos() throws IOException {
        long total = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path proc : procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).toList()) {
                try {
                    String stat = Files.readString(proc.resolve("stat"));
                    if (stat.contains("(ksoftirqd/")) {
                        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        total += (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10_000_000L; // USER_HZ 100
                    }
                } catch (IOException | RuntimeException gone) {
                    // a process that ended while the list was read
                }
            }
        }
        return total;
    }

    private static long datapathCpuNanos() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long total = 0;
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith("vcc-datapath")) {
                total += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
            }
        }
        return total;
    }

    private static Throughput find(List<Throughput> results, String path, int size) {
        return results.stream().filter(t -> t.path.equals(path) && t.size == size).findFirst().orElseThrow();
    }

    private static String lscpuModel() {
        return Shell.run("lscpu").output().lines().filter(l -> l.startsWith("Model name:"))
                .map(l -> l.substring("Model name:".length()).trim()).findFirst().orElse("unknown CPU");
    }

    private static byte[] randomKey() {
        byte[] key = new byte[16];
        new SecureRandom().nextBytes(key);
        return key;
    }

    private static List<Integer> intList(String[] args, String name, List<Integer> fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return Arrays.stream(args[i + 1].split(",")).map(String::trim).map(Integer::valueOf).toList();
            }
        }
        return fallback;
    }

    private static int intArg(String[] args, String name, int fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return Integer.parseInt(args[i + 1]);
            }
        }
        return fallback;
    }
}

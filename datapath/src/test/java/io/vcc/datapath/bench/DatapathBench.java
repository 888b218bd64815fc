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

    private record Throughput(String path, int size, double fps, long lost, double busyCores, double datapathCores) {
        double fpsPerBusyCore() {
            return busyCores > 0 ? fps / busyCores : 0;
        }
    }

    public static void main(String[] args) throws Exception {
        int seconds = intArg(args, "--seconds", 5);
        int eventLoops = intArg(args, "--event-loops", 2);
        int flows = intArg(args, "--flows", 2);
        boolean kernel = Shell.isRoot() && Shell.hasNetns();

        System.out.println("# vcc datapath benchmark");
        System.out.println("machine: " + lscpuModel() + ", " + Runtime.getRuntime().availableProcessors() + " cores, kernel "
                + must("uname", "-r").trim() + ", java " + System.getProperty("java.version"));
        System.out.printf("settings: %d s per measurement after 1 s warm-up, window %d frames, %d sending flows, "
                + "%d event loops per node%n", seconds, WINDOW, flows, eventLoops);

        List<Throughput> results = new ArrayList<>();
        double[] latencyDirect;
        double[] latencyVcc;
        double[] latencyKernel = null;
        InetAddress loopback = InetAddress.getLoopbackAddress();
        TunnelKey key = new TunnelKey(1, randomKey());

        try (LoadGenerator vccLoad = new LoadGenerator(loopback, loopback, flows);
             Datapath a = start(loopback, 108, eventLoops);
             Datapath b = start(loopback, 208, eventLoops)) {
            System.out.println("vcc transport: " + a.transport() + " (recvmmsg/sendmmsg batches, SO_REUSEPORT)");
            a.tagMap().putPeer(new Peer("node-b", 208, b.tunnelAddress()));
            b.tagMap().putPeer(new Peer("node-a", 108, a.tunnelAddress()));
            a.tunnelKeys().install("node-b", key);
            b.tunnelKeys().install("node-a", key);
            // one VTEP: the generator's other sockets match it by address, so nothing is flooded back to them
            a.tagMap().putSegment(new Segment("bench/net", 5001, 100, 200, List.of(vccLoad.senderAddresses()[0]),
                    Set.of("node-b")));
            b.tagMap().putSegment(new Segment("bench/net", 6001, 100, 200, List.of(vccLoad.sinkAddress()),
                    Set.of("node-a")));

            NetnsLab lab = kernel ? new NetnsLab() : null;
            LoadGenerator kernelLoad = null;
            InetSocketAddress kernelIn = null;
            try {
                if (kernel) {
                    KernelPath path = KernelPath.build(lab, flows);
                    kernelLoad = path.load;
                    kernelIn = path.in;
                }
                for (int size : SIZES) {
                    byte[] datagram = datagram(size);
                    results.add(measure("direct", size, vccLoad, datagram, vccLoad.sinkAddress(), seconds));
                    results.add(measure("vcc", size, vccLoad, datagram, a.localVtepAddress(), seconds));
                    if (kernel) {
                        results.add(measure("kernel", size, kernelLoad, datagram, kernelIn, seconds));
                    }
                }
                byte[] small = datagram(64);
                latencyDirect = latency(vccLoad, small, vccLoad.sinkAddress(), seconds);
                latencyVcc = latency(vccLoad, small, a.localVtepAddress(), seconds);
                if (kernel) {
                    latencyKernel = latency(kernelLoad, small, kernelIn, seconds);
                }
            } finally {
                if (kernelLoad != null) {
                    kernelLoad.close();
                }
                if (lab != null) {
                    lab.close();
                }
            }
            DatapathSnapshot snapA = a.snapshot();
            DatapathSnapshot snapB = b.snapshot();
            long drops = snapA.unassigned().totalDropped() + snapB.unassigned().totalDropped()
                    + snapA.segment(5001).stats().totalDropped() + snapB.segment(6001).stats().totalDropped();
            System.out.printf("vcc drops counted by the datapaths during the run: %d (backpressure %d)%n", drops,
                    snapA.segment(5001).stats().dropped(DropReason.BACKPRESSURE)
                            + snapB.segment(6001).stats().dropped(DropReason.BACKPRESSURE));
        }

        System.out.println();
        System.out.println("| frame | path | frames/s | lost | busy cores | frames/s per busy core | datapath threads' cores |");
        System.out.println("|---|---|---:|---:|---:|---:|---:|");
        for (Throughput t : results) {
            System.out.printf(Locale.ROOT, "| %d B | %s | %,.0f | %d | %.2f | %,.0f | %s |%n", t.size, t.path, t.fps, t.lost,
                    t.busyCores, t.fpsPerBusyCore(), t.path.equals("vcc") ? String.format(Locale.ROOT, "%.2f", t.datapathCores) : "-");
        }
        if (kernel) {
            for (int size : SIZES) {
                Throughput vcc = find(results, "vcc", size);
                Throughput k = find(results, "kernel", size);
                System.out.printf(Locale.ROOT, "ratio vcc / kernel, %d B frames: %.2f (target >= 0.5: %s)%n", size,
                        vcc.fps / k.fps, vcc.fps / k.fps >= 0.5 ? "met" : "MISSED");
            }
        } else {
            System.out.println("kernel path skipped: needs root and 'ip netns'");
        }
        System.out.println();
        System.out.println("one-way latency, 64 B frames, one in flight (microseconds):");
        System.out.printf(Locale.ROOT, "  direct loopback UDP (baseline): p50 %.1f, p99 %.1f (%d samples)%n",
                latencyDirect[0], latencyDirect[1], (long) latencyDirect[2]);
        System.out.printf(Locale.ROOT, "  vcc path:                        p50 %.1f, p99 %.1f -> added p50 %.1f, p99 %.1f%n",
                latencyVcc[0], latencyVcc[1], latencyVcc[0] - latencyDirect[0], latencyVcc[1] - latencyDirect[1]);
        if (latencyKernel != null) {
            System.out.printf(Locale.ROOT, "  kernel path:                     p50 %.1f, p99 %.1f -> added p50 %.1f, p99 %.1f%n",
                    latencyKernel[0], latencyKernel[1], latencyKernel[0] - latencyDirect[0],
                    latencyKernel[1] - latencyDirect[1]);
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
        long t0 = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        LoadGenerator.Counts c1 = load.counts();
        long[] cpu1 = procStat();
        long dp1 = datapathCpuNanos();
        long t1 = System.nanoTime();
        load.stop();
        double elapsed = (t1 - t0) / 1e9;
        double busy = (double) (cpu1[0] - cpu0[0]) / (cpu1[1] - cpu0[1]) * Runtime.getRuntime().availableProcessors();
        Throughput result = new Throughput(path, size, (c1.received() - c0.received()) / elapsed, c1.lost() - c0.lost(),
                busy, (dp1 - dp0) / 1e9 / elapsed);
        System.out.printf(Locale.ROOT, "  %s %d B: %,.0f frames/s%n", path, size, result.fps);
        return result;
    }

    /** p50, p99 (microseconds) and sample count of one-way latency with one frame in flight. */
    private static double[] latency(LoadGenerator load, byte[] datagram, InetSocketAddress to, int seconds) throws Exception {
        load.start(datagram, to, 1, true);
        Thread.sleep(Math.max(1000, seconds * 600L));
        long[] samples = load.latencies();
        load.stop();
        long[] kept = Arrays.copyOfRange(samples, Math.min(samples.length, 200), samples.length); // warm-up
        Arrays.sort(kept);
        if (kept.length == 0) {
            return new double[] {Double.NaN, Double.NaN, 0};
        }
        return new double[] {kept[kept.length / 2] / 1e3, kept[(int) (kept.length * 0.99)] / 1e3, kept.length};
    }

    private static byte[] datagram(int frameSize) {
        byte[] payload = new byte[frameSize - 14];
        EthernetFrame frame = EthernetFrame.of("02:00:00:00:00:02", "02:00:00:00:00:01", 0x88B5, payload);
        return Vxlan.encapsulate(5001, frame.toBytes());
    }

    private static Datapath start(InetAddress address, int datacenterTag, int eventLoops) {
        return Datapath.start(DatapathConfig.builder()
                .localVtep(new InetSocketAddress(address, 0))
                .tunnel(new InetSocketAddress(address, 0))
                .datacenterTag(datacenterTag)
                .eventLoops(eventLoops)
                .tunnelMtu(9000)
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

    private static int intArg(String[] args, String name, int fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return Integer.parseInt(args[i + 1]);
            }
        }
        return fallback;
    }
}

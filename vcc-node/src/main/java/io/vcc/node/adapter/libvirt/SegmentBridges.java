package io.vcc.node.adapter.libvirt;

import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host side of VM NICs on tenant segments (seed 003's per-account bridge lifecycle, per segment): a Linux bridge
 * {@code vsb<vni>} with a kernel VXLAN device {@code vsx<vni>} (VNI = the segment's local VNI) that sends every frame
 * to the node's datapath (its local VTEP), created with the first NIC attached to the segment and removed with the
 * last. The domains' interfaces are bridge interfaces on {@code vsb<vni>}. Done with {@code ip} and {@code bridge}
 * (iproute2, root), in {@code namespace} when one is given (tests), else in the host's.
 */
final class SegmentBridges {

    private static final Logger log = LoggerFactory.getLogger(SegmentBridges.class);

    private final String namespace;
    private final String localAddress;
    private final String datapathHost;
    private final int datapathPort;
    /** The NICs (vm#index) on each segment's bridge. */
    private final Map<Integer, Set<String>> attached = new HashMap<>();

    /**
     * @param localAddress where the VXLAN devices send from (port 4789)
     * @param datapathHost where the node's datapath listens for the segments' VXLAN ({@code vcc.datapath.local-vtep})
     */
    SegmentBridges(String namespace, String localAddress, String datapathHost, int datapathPort) {
        this.namespace = namespace;
        this.localAddress = localAddress;
        this.datapathHost = datapathHost;
        this.datapathPort = datapathPort;
    }

    static String bridge(int vni) {
        return "vsb" + vni;
    }

    static String vxlan(int vni) {
        return "vsx" + vni;
    }

    /** {@code host:port} the segments' VXLAN comes from, as the server programs it into the datapath. */
    String vtep() {
        return localAddress + ":4789";
    }

    /** Puts the NIC on the segment's bridge, making the bridge and its VXLAN device if it is the first; idempotent. */
    synchronized String attach(int vni, String nic) {
        Set<String> nics = attached.computeIfAbsent(vni, v -> new HashSet<>());
        if (nics.isEmpty()) {
            try {
                create(vni);
            } catch (RuntimeException e) {
                attached.remove(vni);
                throw e;
            }
        }
        nics.add(nic);
        return bridge(vni);
    }

    /** Takes the NIC off the segment's bridge; the bridge and its VXLAN device go with the last NIC. Absent is fine. */
    synchronized void detach(int vni, String nic) {
        Set<String> nics = attached.get(vni);
        if (nics == null || !nics.remove(nic) || !nics.isEmpty()) {
            return;
        }
        attached.remove(vni);
        run(true, ip("link", "del", vxlan(vni)));
        run(true, ip("link", "del", bridge(vni)));
        log.info("Segment {}: its last NIC left; bridge {} removed", vni, bridge(vni));
    }

    /**
     * Whether {@code ip} answers on the segment: a throwaway namespace on the segment's bridge, with the network's
     * gateway address (no VM has it), connects by TCP to port 9; a guest's kernel answers with a refusal or an
     * accept, an absent one with silence. No ICMP, no listener in the guest.
     */
    synchronized boolean answers(int vni, String ip, String gateway) {
        if (!attached.containsKey(vni)) {
            return false;
        }
        String probe = "vcc-sp-" + vni;
        String port = "vsq" + vni;
        run(true, "ip", "netns", "del", probe);
        try {
            run(false, "ip", "netns", "add", probe);
            run(false, ip("link", "add", port, "type", "veth", "peer", "name", "probe", "netns", probe));
            run(false, ip("link", "set", port, "master", bridge(vni), "up"));
            run(false, "ip", "-n", probe, "addr", "add", gateway + "/24", "dev", "probe");
            run(false, "ip", "-n", probe, "link", "set", "probe", "up");
            String said = run(true, "ip", "netns", "exec", probe, "timeout", "1.5", "bash", "-c",
                    "exec 3<>/dev/tcp/" + ip + "/9 && echo connected");
            return said.contains("connected") || said.contains("Connection refused");
        } finally {
            run(true, "ip", "netns", "del", probe);
            run(true, ip("link", "del", port));
        }
    }

    /** Each segment with a bridge here and how many NICs are on it. */
    synchronized Map<Integer, Integer> segments() {
        Map<Integer, Integer> counts = new TreeMap<>();
        attached.forEach((vni, nics) -> counts.put(vni, nics.size()));
        return counts;
    }

    private void create(int vni) {
        // What a previous process left (it died with NICs attached) is made again from scratch.
        run(true, ip("link", "del", vxlan(vni)));
        run(true, ip("link", "del", bridge(vni)));
        run(false, ip("link", "add", bridge(vni), "type", "bridge"));
        run(false, ip("link", "set", bridge(vni), "up"));
        run(false, ip("link", "add", vxlan(vni), "type", "vxlan", "id", Integer.toString(vni), "local", localAddress,
                "dstport", "4789", "nolearning"));
        run(false, ip("link", "set", vxlan(vni), "master", bridge(vni), "up"));
        List<String> fdb = new ArrayList<>(List.of("bridge"));
        if (namespace != null) {
            fdb.addAll(List.of("-n", namespace));
        }
        fdb.addAll(List.of("fdb", "append", "00:00:00:00:00:00", "dev", vxlan(vni), "dst", datapathHost, "port",
                Integer.toString(datapathPort)));
        run(false, fdb.toArray(String[]::new));
        log.info("Segment {}: bridge {} with VXLAN device {} towards the datapath at {}:{}", vni, bridge(vni), vxlan(vni), datapathHost,
                datapathPort);
    }

    private String[] ip(String... args) {
        List<String> command = new ArrayList<>(List.of("ip"));
        if (namespace != null) {
            command.addAll(List.of("-n", namespace));
        }
        command.addAll(List.of(args));
        return command.toArray(String[]::new);
    }

    private static String run(boolean quiet, String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("timed out");
            }
            if (process.exitValue() != 0 && !quiet) {
                throw new VccProblemException(ProblemType.INTERNAL, String.join(" ", command) + " failed: " + output.strip());
            }
            return output;
        } catch (IOException e) {
            if (!quiet) {
                throw new VccProblemException(ProblemType.INTERNAL, String.join(" ", command) + " failed: " + e.getMessage());
            }
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VccProblemException(ProblemType.INTERNAL, "interrupted: " + String.join(" ", command));
        }
    }
}

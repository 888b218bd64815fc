package io.vcc.node.adapter.libvirt;

import static io.vcc.node.adapter.host.HostCommands.ipIn;
import static io.vcc.node.adapter.host.HostCommands.run;

import io.vcc.node.adapter.host.HostCommands;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
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
        run(true, ipIn(namespace, "link", "del", vxlan(vni)));
        run(true, ipIn(namespace, "link", "del", bridge(vni)));
        log.info("Segment {}: its last NIC left; bridge {} removed", vni, bridge(vni));
    }

    /** Whether {@code ip} answers on segment {@code vni} ({@link HostCommands#answersOnBridge}). */
    synchronized boolean answers(int vni, String ip, String gateway) {
        return attached.containsKey(vni) && HostCommands.answersOnBridge(namespace, bridge(vni), "vcc-sp-" + vni, "vsq" + vni, gateway, ip);
    }

    /** Each segment with a bridge here and how many NICs are on it. */
    synchronized Map<Integer, Integer> segments() {
        Map<Integer, Integer> counts = new TreeMap<>();
        attached.forEach((vni, nics) -> counts.put(vni, nics.size()));
        return counts;
    }

    private void create(int vni) {
        // What a previous process left (it died with NICs attached) is made again from scratch.
        run(true, ipIn(namespace, "link", "del", vxlan(vni)));
        run(true, ipIn(namespace, "link", "del", bridge(vni)));
        run(false, ipIn(namespace, "link", "add", bridge(vni), "type", "bridge"));
        run(false, ipIn(namespace, "link", "set", bridge(vni), "up"));
        run(false, ipIn(namespace, "link", "add", vxlan(vni), "type", "vxlan", "id", Integer.toString(vni), "local", localAddress,
                "dstport", "4789", "nolearning"));
        run(false, ipIn(namespace, "link", "set", vxlan(vni), "master", bridge(vni), "up"));
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
}

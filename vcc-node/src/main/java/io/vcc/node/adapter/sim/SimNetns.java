package io.vcc.node.adapter.sim;

import static io.vcc.node.adapter.host.HostCommands.run;

import io.vcc.node.adapter.host.HostCommands;
import io.vcc.node.core.NodeProperties;
import jakarta.annotation.PreDestroy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * Simulated VMs that answer on their IP: with {@code vcc.sim.segments.netns=true} (root, iproute2) a powered-on
 * VM's NICs on tenant segments are real interfaces. The node gets a host namespace joined to the root namespace by
 * an uplink veth; per segment the host namespace has a bridge and a kernel VXLAN device (VNI = the segment's local
 * VNI, sending from the host side of the uplink at port 4789 to the datapath's local VTEP), created with the first
 * NIC and removed with the last, as seed 003's per-account bridges; per VM a namespace with one veth per NIC,
 * carrying the NIC's MAC and IP, its peer on the segment's bridge. A VM's namespace goes when it is powered off.
 * <p>
 * Each interface comes up with its address already set and {@code arp_notify} on, so the kernel announces the VM
 * with a gratuitous ARP: the datapaths learn where its MAC now is at once (one ARP refresh), which is what keeps a
 * cut-over short.
 */
@Component
@ConditionalOnProperty(name = "vcc.sim.segments.netns", havingValue = "true")
class SimNetns {

    private static final Logger log = LoggerFactory.getLogger(SimNetns.class);

    /** A NIC as its namespace gets it. */
    record Nic(int index, int vni, String mac, String ip, int mtu) {
    }

    private final SimSegmentSettings settings;
    private final SimNetworks networks;
    private final String host;
    private final String uplink;
    private final Map<Integer, Integer> nicsOnSegment = new HashMap<>();
    private final Map<UUID, List<Nic>> running = new HashMap<>();

    SimNetns(SimSegmentSettings settings, SimNetworks networks, NodeProperties node) {
        this.settings = settings;
        this.networks = networks;
        String tag = Integer.toHexString(node.name().hashCode() & 0xfffff);
        this.host = "vcc-h-" + tag;
        this.uplink = "vu" + tag;
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new IllegalStateException("vcc.sim.segments.netns needs root (network namespaces)");
        }
        run(true, "ip", "netns", "del", host);
        run(true, "ip", "link", "del", uplink);
        must("ip", "netns", "add", host);
        must("ip", "-n", host, "link", "set", "lo", "up");
        must("ip", "link", "add", uplink, "type", "veth", "peer", "name", "uplink", "netns", host);
        must("ip", "addr", "add", settings.netnsUplink(), "dev", uplink);
        must("ip", "link", "set", uplink, "up");
        must("ip", "-n", host, "addr", "add", settings.hostAddress() + "/30", "dev", "uplink");
        must("ip", "-n", host, "link", "set", "uplink", "up");
        log.info("Simulated VMs get network namespaces; host namespace {}, VTEP {}:4789", host, settings.hostAddress());
    }

    /** After the caller's transaction commits, the VM's namespace matches what was committed: up when powered on. */
    void follow(SimVm vm) {
        UUID id = vm.id();
        boolean on = vm.state() == io.vcc.api.node.PowerState.POWERED_ON && !vm.template();
        List<Nic> nics = vm.nics().stream().filter(nic -> nic.segmentVni() != null && nic.ip() != null)
                .map(nic -> new Nic(nic.index(), nic.segmentVni(), nic.mac(), nic.ip(), mtu(vm, nic))).toList();
        Runnable apply = () -> {
            if (on) {
                up(id, nics);
            } else {
                down(id);
            }
        };
        if (org.springframework.transaction.support.TransactionSynchronizationManager.isSynchronizationActive()) {
            org.springframework.transaction.support.TransactionSynchronizationManager.registerSynchronization(
                    new org.springframework.transaction.support.TransactionSynchronization() {
                        @Override
                        public void afterCommit() {
                            apply.run();
                        }
                    });
        } else {
            apply.run();
        }
    }

    private int mtu(SimVm vm, SimNic nic) {
        return networks.findByVdcIdAndName(vm.vdcId(), nic.network()).map(SimNetwork::mtu).orElse(SimNetwork.DEFAULT_MTU);
    }

    /** A VM that is gone: its namespace goes after the commit. */
    void gone(UUID vmId) {
        if (org.springframework.transaction.support.TransactionSynchronizationManager.isSynchronizationActive()) {
            org.springframework.transaction.support.TransactionSynchronizationManager.registerSynchronization(
                    new org.springframework.transaction.support.TransactionSynchronization() {
                        @Override
                        public void afterCommit() {
                            down(vmId);
                        }
                    });
        } else {
            down(vmId);
        }
    }

    /** The VTEP the host namespace's VXLAN devices send from. */
    String vtep() {
        return settings.hostAddress() + ":4789";
    }

    /** The VM runs with these NICs: its namespace is made again with them. */
    synchronized void up(UUID vmId, List<Nic> nics) {
        down(vmId);
        if (nics.isEmpty()) {
            return;
        }
        String ns = vmNamespace(vmId);
        must("ip", "netns", "add", ns);
        must("ip", "-n", ns, "link", "set", "lo", "up");
        must("ip", "netns", "exec", ns, "sh", "-c", "echo 1 > /proc/sys/net/ipv4/conf/all/arp_notify; "
                + "echo 1 > /proc/sys/net/ipv4/conf/default/arp_notify");
        for (Nic nic : nics) {
            segmentUp(nic.vni());
            String port = "vp" + vmId.toString().substring(0, 8) + nic.index();
            String inside = "eth" + nic.index();
            must("ip", "-n", host, "link", "add", port, "type", "veth", "peer", "name", inside, "netns", ns);
            must("ip", "-n", host, "link", "set", port, "master", "vb" + nic.vni(), "up");
            must("ip", "-n", ns, "link", "set", inside, "address", nic.mac(), "mtu", Integer.toString(nic.mtu()));
            must("ip", "-n", ns, "addr", "add", nic.ip() + "/24", "dev", inside);
            must("ip", "-n", ns, "link", "set", inside, "up");
        }
        running.put(vmId, List.copyOf(nics));
    }

    /** The VM stopped (or went): its namespace goes, and a segment's bridge with its last NIC. */
    synchronized void down(UUID vmId) {
        List<Nic> nics = running.remove(vmId);
        if (nics == null) {
            return;
        }
        run(true, "ip", "netns", "del", vmNamespace(vmId));
        nics.forEach(nic -> segmentDown(nic.vni()));
    }

    /** Whether {@code ip} answers on segment {@code vni} ({@link HostCommands#answersOnBridge}). */
    synchronized boolean answers(int vni, String ip, String gateway) {
        return nicsOnSegment.containsKey(vni) && HostCommands.answersOnBridge(host, "vb" + vni,
                "vcc-pr-" + host.substring("vcc-h-".length()) + "-" + vni, "vq" + Integer.toHexString(vni), gateway, ip);
    }

    boolean isUp(UUID vmId) {
        return running.containsKey(vmId);
    }

    @PreDestroy
    synchronized void close() {
        new ArrayList<>(running.keySet()).forEach(this::down);
        run(true, "ip", "netns", "del", host);
        run(true, "ip", "link", "del", uplink);
    }

    private void segmentUp(int vni) {
        int nics = nicsOnSegment.merge(vni, 1, Integer::sum);
        if (nics > 1) {
            return;
        }
        String bridge = "vb" + vni;
        String vxlan = "vx" + vni;
        must("ip", "-n", host, "link", "add", bridge, "type", "bridge");
        must("ip", "-n", host, "link", "set", bridge, "up");
        must("ip", "-n", host, "link", "add", vxlan, "type", "vxlan", "id", Integer.toString(vni), "local", settings.hostAddress(),
                "dstport", "4789", "srcport", "4789", "4790", "nolearning");
        must("ip", "-n", host, "link", "set", vxlan, "master", bridge, "up");
        must("bridge", "-n", host, "fdb", "append", "00:00:00:00:00:00", "dev", vxlan, "dst", settings.rootAddress(),
                "port", Integer.toString(settings.datapathPort()));
    }

    private void segmentDown(int vni) {
        int nics = nicsOnSegment.merge(vni, -1, Integer::sum);
        if (nics > 0) {
            return;
        }
        nicsOnSegment.remove(vni);
        run(true, "ip", "-n", host, "link", "del", "vx" + vni);
        run(true, "ip", "-n", host, "link", "del", "vb" + vni);
    }

    private static String vmNamespace(UUID vmId) {
        return "vcc-vm-" + vmId.toString().substring(0, 13);
    }

    private static void must(String... command) {
        run(false, command);
    }
}

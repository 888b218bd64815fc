package io.vcc.datapath;

import static io.vcc.datapath.Shell.must;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Network namespaces standing in for clouds and VMs, made and torn down by a test or the benchmark. Every
 * name carries a random id, so runs never meet; {@link #close()} removes all of it, and is safe to call
 * after a half-built setup.
 *
 * <p>Underlay links between the root namespace (where the datapaths run) and a "cloud" namespace use
 * point-to-point /30s from 198.18.0.0/15, the range RFC 2544 sets aside for benchmarking; they exist only
 * on the veth pairs made here. VM addresses (10.0.0.x) exist only inside VM namespaces.
 */
public final class NetnsLab implements AutoCloseable {

    private final String id = String.format("%04x", ThreadLocalRandom.current().nextInt(0x10000));
    private final int subnet;
    private int nextBlock;
    private final List<String> namespaces = new ArrayList<>();
    private final List<String> rootLinks = new ArrayList<>();

    public NetnsLab() {
        int candidate = ThreadLocalRandom.current().nextInt(256);
        for (int tries = 0; tries < 256; tries++, candidate = (candidate + 1) % 256) {
            if (must("ip", "-4", "addr", "show", "to", "198.18." + candidate + ".0/24").isBlank()) {
                break;
            }
        }
        subnet = candidate;
    }

    public String id() {
        return id;
    }

    /** Makes namespace {@code vcc<id><suffix>} with its loopback up. */
    public String namespace(String suffix) {
        String ns = "vcc" + id + suffix;
        must("ip", "netns", "add", ns);
        namespaces.add(ns);
        must("ip", "-n", ns, "link", "set", "lo", "up");
        return ns;
    }

    /** A veth between the root namespace and {@code ns} ({@code uplink} there), with a /30 on it. */
    public Uplink uplink(String ns, String suffix) {
        String root = "vcc" + id + suffix;
        int base = 4 * nextBlock++;
        String rootAddress = "198.18." + subnet + "." + (base + 1);
        String nsAddress = "198.18." + subnet + "." + (base + 2);
        must("ip", "link", "add", root, "type", "veth", "peer", "name", "uplink", "netns", ns);
        rootLinks.add(root);
        must("ip", "addr", "add", rootAddress + "/30", "dev", root);
        must("ip", "link", "set", root, "up");
        must("ip", "-n", ns, "addr", "add", nsAddress + "/30", "dev", "uplink");
        must("ip", "-n", ns, "link", "set", "uplink", "up");
        return new Uplink(root, address(rootAddress), address(nsAddress));
    }

    public record Uplink(String rootLink, InetAddress rootAddress, InetAddress cloudAddress) {
    }

    /** A veth between two namespaces ({@code name} on both ends), with a /30 on it; answers the two addresses. */
    public InetAddress[] link(String ns1, String ns2, String name) {
        int base = 4 * nextBlock++;
        String first = "198.18." + subnet + "." + (base + 1);
        String second = "198.18." + subnet + "." + (base + 2);
        must("ip", "-n", ns1, "link", "add", name, "type", "veth", "peer", "name", name, "netns", ns2);
        must("ip", "-n", ns1, "addr", "add", first + "/30", "dev", name);
        must("ip", "-n", ns2, "addr", "add", second + "/30", "dev", name);
        must("ip", "-n", ns1, "link", "set", name, "up");
        must("ip", "-n", ns2, "link", "set", name, "up");
        return new InetAddress[] {address(first), address(second)};
    }

    /**
     * A tenant network inside a cloud namespace: a bridge, a kernel VXLAN device that sends everything to
     * {@code nextHopPort} on the uplink's root side (learning off, since a learned entry would carry the
     * device's own port instead), and one VM namespace attached to the bridge by a veth.
     */
    public String tenant(String cloudNs, Uplink uplink, String tenant, int vni, int nextHopPort,
                         String vmSuffix, String vmMac, String... vmAddresses) {
        String bridge = "br-" + tenant;
        String vxlan = "vx-" + tenant;
        String port = "vm-" + tenant;
        must("ip", "-n", cloudNs, "link", "add", bridge, "type", "bridge");
        must("ip", "-n", cloudNs, "link", "set", bridge, "up");
        must("ip", "-n", cloudNs, "link", "add", vxlan, "type", "vxlan", "id", Integer.toString(vni), "local",
                uplink.cloudAddress().getHostAddress(), "dstport", "4789", "nolearning");
        must("ip", "-n", cloudNs, "link", "set", vxlan, "master", bridge, "up");
        must("bridge", "-n", cloudNs, "fdb", "append", "00:00:00:00:00:00", "dev", vxlan, "dst",
                uplink.rootAddress().getHostAddress(), "port", Integer.toString(nextHopPort));
        String vm = namespace(vmSuffix);
        must("ip", "-n", cloudNs, "link", "add", port, "type", "veth", "peer", "name", "eth0", "netns", vm);
        must("ip", "-n", cloudNs, "link", "set", port, "master", bridge, "up");
        must("ip", "-n", vm, "link", "set", "eth0", "address", vmMac, "mtu", "1400", "up");
        for (String address : vmAddresses) {
            must("ip", "-n", vm, "addr", "add", address + "/24", "dev", "eth0");
        }
        return vm;
    }

    @Override
    public void close() {
        for (int i = namespaces.size() - 1; i >= 0; i--) {
            Shell.run("ip", "netns", "del", namespaces.get(i));
        }
        for (String link : rootLinks) {
            Shell.run("ip", "link", "del", link); // usually gone with its peer's namespace already
        }
        namespaces.clear();
        rootLinks.clear();
    }

    /** Names of leftover namespaces of this lab, for a test to prove it cleaned up. */
    public List<String> leftovers() {
        return Shell.run("ip", "netns", "list").output().lines().filter(l -> l.startsWith("vcc" + id)).toList();
    }

    private static InetAddress address(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(text, e);
        }
    }
}

package io.vcc.server.network;

import io.vcc.api.datapath.DatapathState;
import io.vcc.server.cloud.CloudView;
import io.vcc.server.cloud.IpLiteral;
import io.vcc.server.cloud.IpRange;
import io.vcc.server.node.NodeView;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * What a tenant may name as a local VTEP. The node sends the tenant's decapsulated traffic (broadcasts
 * included) to these addresses, so a hostile one turns the node into a loop or a reflector: its own
 * address or loopback loops frames back into the datapath and to every peer; multicast, broadcast and
 * the subnet edges fan out; a low port aims the traffic at a service. So a VTEP must be a unicast IP
 * literal inside the ranges the admin allowed for the cloud, at an allowed port, and not the node itself.
 */
@Component
class VtepPolicy {

    private static final Pattern HOST_PORT = Pattern.compile("(?:\\[([^\\]]+)]|([^:\\[\\]]+)):([0-9]{1,5})");

    private final NetworkProperties properties;

    VtepPolicy(NetworkProperties properties) {
        this.properties = properties;
    }

    /**
     * The refusals, field path to message ({@code field[i]} for the i-th VTEP); empty when all are allowed.
     *
     * @param node  the node that will carry the network in the cloud
     * @param state its datapath as it reports itself: its tunnel and VXLAN addresses
     */
    Map<String, String> check(String field, CloudView cloud, NodeView node, DatapathState state, List<String> vteps) {
        List<IpRange> ranges = cloud.vtepRanges().isEmpty() ? properties.defaultVtepIpRanges() : cloud.vtepIpRanges();
        List<InetSocketAddress> own = ownAddresses(node, state);
        String allowed = allowed(cloud, ranges);
        Map<String, String> errors = new LinkedHashMap<>();
        for (int i = 0; i < vteps.size(); i++) {
            String key = field + "[" + i + "]";
            refusal(vteps.get(i), cloud, ranges, own).ifPresent(reason -> errors.put(key, reason + "; " + allowed));
        }
        return errors;
    }

    private Optional<String> refusal(String vtep, CloudView cloud, List<IpRange> ranges, List<InetSocketAddress> own) {
        Matcher matcher = HOST_PORT.matcher(vtep);
        Optional<InetAddress> parsed = Optional.empty();
        if (matcher.matches()) {
            parsed = matcher.group(1) != null
                    ? (matcher.group(1).contains(":") ? IpLiteral.parse(matcher.group(1)) : Optional.empty())
                    : IpLiteral.parse(matcher.group(2));
        }
        if (parsed.isEmpty()) {
            return Optional.of("'" + vtep + "' is not an IP address and port (a.b.c.d:port or [IPv6]:port; host names are "
                    + "not accepted, since what a name resolves to can change after it was checked)");
        }
        InetAddress address = parsed.get();
        int port = Integer.parseInt(matcher.group(3));
        String shown = format(address, port);
        String kind = forbiddenKind(address);
        if (kind != null) {
            return Optional.of(shown + " is " + kind);
        }
        if (port < properties.vtepPortMin() || port > properties.vtepPortMax()) {
            return Optional.of(shown + ": port " + port + " is outside the VTEP ports");
        }
        if (ranges.isEmpty()) {
            return Optional.of("cloud " + cloud.name() + " allows no VTEP addresses yet: an admin sets them with PATCH "
                    + "/api/v1/clouds/" + cloud.id() + " {\"vtepRanges\":[\"<CIDR>\", ...]}");
        }
        Optional<IpRange> range = ranges.stream().filter(r -> r.contains(address)).findFirst();
        if (range.isEmpty()) {
            return Optional.of(shown + " is outside the VTEP ranges of cloud " + cloud.name());
        }
        if (range.get().isSubnetEdge(address)) {
            return Optional.of(shown + " is the network or broadcast address of " + range.get());
        }
        if (isOwn(new InetSocketAddress(address, port), own)) {
            return Optional.of(shown + " is an address of the node that carries the network in cloud " + cloud.name()
                    + " (its tunnel, VXLAN or API address)");
        }
        return Optional.empty();
    }

    /** Addresses no VTEP may have in any cloud, whatever the admin allowed; {@code null} when none applies. */
    private String forbiddenKind(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (address.isAnyLocalAddress() || bytes.length == 4 && bytes[0] == 0) {
            return "the unspecified address (0.0.0.0/8, ::)";
        }
        if (address.isLoopbackAddress() && !properties.loopbackVteps()) {
            return "a loopback address (127.0.0.0/8, ::1)";
        }
        if (address.isMulticastAddress()) {
            return "a multicast address (224.0.0.0/4, ff00::/8)";
        }
        if (bytes.length == 4 && (bytes[0] & 0xF0) == 0xF0) {
            return "the broadcast address or reserved (240.0.0.0/4, 255.255.255.255)";
        }
        if (address.isLinkLocalAddress()) {
            return "a link-local address (169.254.0.0/16, fe80::/10)";
        }
        if (address instanceof Inet6Address && Arrays.equals(Arrays.copyOf(bytes, 12), new byte[12])) {
            return "an IPv4-compatible IPv6 address (::/96); write the IPv4 address itself";
        }
        return null;
    }

    /**
     * The node itself at any port; in a loopback lab, where every node and VTEP shares 127.0.0.1, only at
     * the node's own ports.
     */
    private boolean isOwn(InetSocketAddress vtep, List<InetSocketAddress> own) {
        boolean lab = properties.loopbackVteps() && vtep.getAddress().isLoopbackAddress();
        return own.stream().anyMatch(mine -> mine.getAddress().equals(vtep.getAddress())
                && (!lab || mine.getPort() == vtep.getPort()));
    }

    /** The node's tunnel and VXLAN addresses as its datapath reports them, and its API address. */
    private static List<InetSocketAddress> ownAddresses(NodeView node, DatapathState state) {
        List<InetSocketAddress> own = new ArrayList<>();
        if (state != null) {
            addHostPort(own, state.tunnel());
            addHostPort(own, state.localVtep());
        }
        if (node.baseUrl() != null) {
            try {
                URI uri = URI.create(node.baseUrl());
                add(own, uri.getHost(), uri.getPort());
            } catch (IllegalArgumentException e) {
                // Not a URI: nothing to compare against; the node could not be reached with it either.
            }
        }
        return own;
    }

    private static void addHostPort(List<InetSocketAddress> own, String hostPort) {
        if (hostPort == null) {
            return;
        }
        try {
            URI uri = URI.create("udp://" + hostPort.trim());
            add(own, uri.getHost(), uri.getPort());
        } catch (IllegalArgumentException e) {
            // The node reported something unreadable; its reachable addresses are still checked.
        }
    }

    /** A host the node reports for itself; a name is resolved, since the node, not the tenant, chose it. */
    private static void add(List<InetSocketAddress> own, String host, int port) {
        if (host == null) {
            return;
        }
        String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        try {
            Optional<InetAddress> literal = IpLiteral.parse(bare);
            for (InetAddress address : literal.isPresent() ? new InetAddress[] {literal.get()} : InetAddress.getAllByName(bare)) {
                // A wildcard bind (0.0.0.0:4789) names no address of its own; the others still count.
                if (!address.isAnyLocalAddress()) {
                    own.add(new InetSocketAddress(address, Math.max(port, 0)));
                }
            }
        } catch (UnknownHostException e) {
            // A name that does not resolve from here cannot be a VTEP address either.
        }
    }

    private String allowed(CloudView cloud, List<IpRange> ranges) {
        String where = ranges.isEmpty() ? "no addresses until an admin sets the cloud's vtepRanges"
                : "unicast addresses in " + ranges.stream().map(IpRange::toString).collect(Collectors.joining(", "));
        return "cloud " + cloud.name() + " allows VTEPs at " + where + ", ports " + properties.vtepPortMin() + "-"
                + properties.vtepPortMax() + ", other than the node's own addresses";
    }

    private static String format(InetAddress address, int port) {
        String host = address.getHostAddress();
        return (address instanceof Inet6Address ? "[" + host + "]" : host) + ":" + port;
    }
}

package io.vcc.node.adapter.sim;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The simulated cloud's zones ⊃ pods ⊃ hosts (seed 003), written into the node's database at start: missing
 * ones are added, existing ones take the configured sizes and VLAN range, and a host no longer configured is
 * removed once no VM is placed on it. Unset, the cloud is one zone ({@code zone-1}, VLANs 100–4094) of one pod
 * of four hosts of 128 CPUs, 512 GiB and 25,000 GB each: together the default size of {@link SimCloud}.
 */
@ConfigurationProperties("vcc.sim.topology")
record SimTopologyProperties(List<Zone> zones) {

    SimTopologyProperties {
        zones = zones == null || zones.isEmpty()
                ? List.of(new Zone("zone-1", "100-4094", List.of(new Pod("pod-1", 4, 128, 524_288, 25_000))))
                : List.copyOf(zones);
    }

    /** {@code vlans}: the range {@code first-last} (1–4094) the zone's accounts take their VLAN IDs from. */
    record Zone(@DefaultValue("zone-1") String name, @DefaultValue("100-4094") String vlans, List<Pod> pods) {

        Zone {
            pods = pods == null || pods.isEmpty() ? List.of(new Pod("pod-1", 4, 128, 524_288, 25_000)) : List.copyOf(pods);
            int[] range = vlanRange(vlans);
            if (range[0] < 1 || range[1] > 4094 || range[0] > range[1]) {
                throw new IllegalArgumentException("vcc.sim.topology: zone " + name + " has VLAN range " + vlans
                        + "; give first-last within 1-4094");
            }
        }

        int vlanFirst() {
            return vlanRange(vlans)[0];
        }

        int vlanLast() {
            return vlanRange(vlans)[1];
        }

        private static int[] vlanRange(String vlans) {
            String[] parts = vlans.trim().split("\\s*-\\s*");
            try {
                return parts.length == 2 ? new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])} : new int[] {0, -1};
            } catch (NumberFormatException e) {
                return new int[] {0, -1};
            }
        }
    }

    /** A pod of {@code hosts} alike hosts, named {@code host-1} … {@code host-N}. */
    record Pod(@DefaultValue("pod-1") String name, @DefaultValue("4") int hosts, @DefaultValue("128") int cpus,
               @DefaultValue("524288") long memoryMb, @DefaultValue("25000") long storageGb) {
    }
}

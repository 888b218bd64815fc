package io.vcc.api.node;

import java.util.List;

/**
 * A zone of a cloud with the VLAN range its accounts' guest networks are tagged from, and the VLAN each
 * account holds there: taken with the account's first VM in the zone, given back with its last (seed 003).
 */
public record ZoneInfo(String name, int vlanFirst, int vlanLast, List<AccountVlan> vlans) {

    public ZoneInfo {
        vlans = List.copyOf(vlans);
    }

    public record AccountVlan(String organization, int vlan) {
    }
}

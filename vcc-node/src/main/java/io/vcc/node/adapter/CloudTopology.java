package io.vcc.node.adapter;

import io.vcc.api.node.HostInfo;
import io.vcc.api.node.TenantUsage;
import io.vcc.api.node.ZoneInfo;
import java.util.List;

/**
 * A cloud director's physical side (seed 003): its zones with their VLAN ranges and the VLAN each account
 * holds, its hosts with what is placed on them, and each account's usage for billing. Reported, not changed:
 * a cloud director places VMs itself when they are created. Implementations: {@code sim}; a real cloud
 * director answers from its provider API (provider VDCs, resource pools, hosts, and its metering).
 */
public interface CloudTopology {

    List<ZoneInfo> zones();

    List<HostInfo> hosts();

    List<TenantUsage> usage();
}

package io.vcc.server.stretch;

import io.vcc.api.transfer.PackageKind;
import io.vcc.server.transfer.TransferMode;
import io.vcc.server.transfer.TransferParams;
import java.util.List;
import java.util.UUID;

/**
 * What a stretch deploy run needs, fixed when it is asked for. The first fields are named as
 * {@link TransferParams}'s, since the run reuses the transfer's steps and they read its parameters as those.
 *
 * @param vms                     the source VMs, each NIC with the MAC and IP it keeps
 * @param networkId               the tenant network the NICs are on
 * @param networkName             the source VDC's network backed by it (the target's gets the same name)
 * @param networkSpannedTarget    whether the tenant network spanned the target cloud before (then it is not retracted)
 * @param targetNetworkExisted    whether the target VDC had that network before (then it is not removed)
 * @param replaceVmIds            stale copies at the target to remove before the import (a reverse of a stretch
 *                                whose source was kept powered off)
 * @param retractFromCloud        a reverse: the cloud the network leaves once no VM of the tenant is left on it there
 * @param retractFromVdcRemoteId  and the VDC there whose network on the segment goes with it
 */
record StretchParams(UUID tenantId, UUID sourceVdcId, UUID sourceNodeId, String sourceRemoteVdcId, PackageKind kind,
                     String sourceId, UUID targetVdcId, UUID targetNodeId, String targetRemoteVdcId, String targetName,
                     TransferMode mode, TransferParams.Direction direction, int chunkSize, String peerUsername,
                     String peerSecretSealed,
                     UUID sourceCloudId, UUID targetCloudId, List<Vm> vms, UUID networkId, String networkName,
                     boolean networkSpannedTarget, boolean targetNetworkExisted, boolean keepSource,
                     List<String> replaceVmIds, UUID retractFromCloud, UUID retractFromNodeId, String retractFromVdcRemoteId) {

    StretchParams {
        vms = vms == null ? List.of() : List.copyOf(vms);
        replaceVmIds = replaceVmIds == null ? List.of() : List.copyOf(replaceVmIds);
    }

    /** A source VM: the target's VM of the same name gets its NICs on the same network, MACs and IPs. */
    record Vm(String sourceVmId, String name, List<Nic> nics) {
    }

    record Nic(int index, String mac, String ip) {
    }

    List<String> sourceVmIds() {
        return vms.stream().map(Vm::sourceVmId).toList();
    }
}

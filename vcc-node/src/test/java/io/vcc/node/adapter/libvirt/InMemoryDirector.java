package io.vcc.node.adapter.libvirt;

import io.vcc.api.node.CloudCapacity;
import io.vcc.api.node.NetworkInfo;
import io.vcc.api.node.VdcInfo;
import io.vcc.api.node.VdcSpec;
import io.vcc.api.node.VmInfo;
import io.vcc.node.adapter.CloudDirectorAdapter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** VDCs and their networks, all the libvirt adapter asks of a cloud director; nothing else is used by the tests. */
final class InMemoryDirector implements CloudDirectorAdapter {

    private final Map<String, VdcInfo> vdcs = new ConcurrentHashMap<>();
    private final Map<String, List<String>> networks = new ConcurrentHashMap<>();

    /** A VDC with no usage of the director's own and its default network {@code <name>-net}. */
    VdcInfo add(String name, int cpus, long memoryMb, long storageGb, String... moreNetworks) {
        VdcInfo vdc = new VdcInfo(UUID.randomUUID().toString(), "org", name, cpus, memoryMb, storageGb, 0, 0, 0);
        vdcs.put(vdc.id(), vdc);
        List<String> names = new ArrayList<>(List.of(name + "-net"));
        names.addAll(List.of(moreNetworks));
        networks.put(vdc.id(), names);
        return vdc;
    }

    @Override
    public Optional<VdcInfo> vdc(String vdcId) {
        return Optional.ofNullable(vdcs.get(vdcId));
    }

    @Override
    public List<NetworkInfo> networks(String vdcId) {
        return networks.getOrDefault(vdcId, List.of()).stream()
                .map(name -> new NetworkInfo(name, vdcId, name, "192.168.100.0/24", "192.168.100.1")).toList();
    }

    @Override
    public String name() {
        return "in-memory";
    }

    @Override
    public List<String> organizations() {
        throw new UnsupportedOperationException("not used by the libvirt adapter");
    }

    @Override
    public List<VdcInfo> vdcs(String organization) {
        throw new UnsupportedOperationException("not used by the libvirt adapter");
    }

    @Override
    public List<VmInfo> vms(String vdcId) {
        throw new UnsupportedOperationException("not used by the libvirt adapter");
    }

    @Override
    public CloudCapacity capacity() {
        throw new UnsupportedOperationException("not used by the libvirt adapter");
    }

    @Override
    public VdcInfo createVdc(VdcSpec spec) {
        throw new UnsupportedOperationException("not used by the libvirt adapter");
    }

    @Override
    public void deleteVdc(String vdcId) {
        throw new UnsupportedOperationException("not used by the libvirt adapter");
    }
}

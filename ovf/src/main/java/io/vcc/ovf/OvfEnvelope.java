package io.vcc.ovf;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An OVF descriptor: files, disks, networks and the virtual system (or collection) they make up.
 * A constructed envelope is consistent: ids are unique and every cross-reference (disk to file, disk item to
 * disk, NIC to network) resolves, so whatever reads or writes one need not check again.
 */
public record OvfEnvelope(List<FileReference> files, List<VirtualDisk> disks, List<OvfNetwork> networks,
                          OvfContent content) {

    public OvfEnvelope {
        files = List.copyOf(files);
        disks = List.copyOf(disks);
        networks = List.copyOf(networks);
        Objects.requireNonNull(content, "an envelope needs a virtual system or a collection");
        checkConsistent(files, disks, networks, content);
    }

    public Optional<FileReference> file(String id) {
        return files.stream().filter(f -> f.id().equals(id)).findFirst();
    }

    public Optional<VirtualDisk> disk(String diskId) {
        return disks.stream().filter(d -> d.diskId().equals(diskId)).findFirst();
    }

    public Optional<OvfNetwork> network(String name) {
        return networks.stream().filter(n -> n.name().equals(name)).findFirst();
    }

    /** Every virtual machine, depth first in descriptor order. */
    public List<VirtualSystem> virtualSystems() {
        return content.virtualSystems();
    }

    /** This envelope with {@code files} replaced (e.g. sizes filled in); everything else unchanged. */
    public OvfEnvelope withFiles(List<FileReference> newFiles) {
        return new OvfEnvelope(newFiles, disks, networks, content);
    }

    private static void checkConsistent(List<FileReference> files, List<VirtualDisk> disks,
                                        List<OvfNetwork> networks, OvfContent content) {
        Set<String> fileIds = new HashSet<>();
        Set<String> hrefs = new HashSet<>();
        for (FileReference file : files) {
            require(fileIds.add(file.id()), "file id '" + file.id() + "' repeats");
            require(hrefs.add(file.href()), "href '" + file.href() + "' repeats");
        }
        Set<String> diskIds = new HashSet<>();
        for (VirtualDisk disk : disks) {
            require(diskIds.add(disk.diskId()), "disk id '" + disk.diskId() + "' repeats");
            require(disk.fileRef() == null || fileIds.contains(disk.fileRef()),
                    "disk '" + disk.diskId() + "' refers to file '" + disk.fileRef() + "' which References lacks");
        }
        Set<String> networkNames = new HashSet<>();
        for (OvfNetwork network : networks) {
            require(networkNames.add(network.name()), "network '" + network.name() + "' repeats");
        }
        Set<String> contentIds = new HashSet<>();
        Deque<OvfContent> pending = new ArrayDeque<>(List.of(content));
        while (!pending.isEmpty()) {
            OvfContent next = pending.pop();
            require(contentIds.add(next.id()), "virtual system id '" + next.id() + "' repeats");
            if (next instanceof VirtualSystemCollection collection) {
                collection.contents().forEach(pending::push);
            } else if (next instanceof VirtualSystem system) {
                for (DiskAttachment attachment : system.hardware().disks()) {
                    require(diskIds.contains(attachment.diskId()), "virtual system '" + system.id()
                            + "' attaches disk '" + attachment.diskId() + "' which DiskSection lacks");
                }
                for (NetworkAdapter nic : system.hardware().nics()) {
                    require(nic.network() == null || networkNames.contains(nic.network()), "virtual system '"
                            + system.id() + "' connects to network '" + nic.network() + "' which NetworkSection lacks");
                }
            }
        }
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}

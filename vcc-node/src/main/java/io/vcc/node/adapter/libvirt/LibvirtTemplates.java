package io.vcc.node.adapter.libvirt;

import io.vcc.api.node.InstantiateRequest;
import io.vcc.api.node.TemplateInfo;
import io.vcc.api.node.TemplateSpec;
import io.vcc.api.node.VappInfo;
import io.vcc.api.node.VdcInfo;
import io.vcc.api.node.VmInfo;
import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import io.vcc.node.adapter.TemplateCatalog;
import io.vcc.node.adapter.VmImport;
import io.vcc.node.adapter.libvirt.LibvirtDomains.Found;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import org.libvirt.LibvirtException;

/**
 * The catalog of a libvirt node. A template's VMs are libvirt domains like the VDC's VMs, each with its own
 * sparse copies of the disk images, marked in their {@code <metadata>} as members of the template (its id and
 * name in place of a vApp's): so libvirt stays the only store, a restarted node finds its templates again, and
 * an export reads their disks through the hypervisor like any VM's. {@link LibvirtHypervisor} lists them in no
 * VDC or vApp, refuses to power or delete them and counts only their storage.
 *
 * <p>Changes run under the lock of the {@link LibvirtDomains} the hypervisor shares: capture and instantiate check names and quota
 * against the same domains the hypervisor's own changes do. Copying disks holds the lock for as long as the
 * copy takes; the simulated catalog likewise copies inside its transaction. Libvirt does not roll back, so what
 * a failed change defined is removed at once, and what a change made is removed again when the caller's
 * transaction rolls back.
 */
final class LibvirtTemplates implements TemplateCatalog {

    private final LibvirtDomains domains;

    LibvirtTemplates(LibvirtDomains domains) {
        this.domains = domains;
    }

    @Override
    public List<TemplateInfo> templates(String vdcId) {
        VdcInfo vdc = domains.vdc(vdcId);
        return byTemplate(inCatalog(vdc.id(), domains.domains())).values().stream().map(LibvirtTemplates::info)
                .sorted(Comparator.comparing(TemplateInfo::name)).toList();
    }

    @Override
    public Optional<TemplateInfo> template(String templateId) {
        List<Found> members = members(templateId, domains.domains());
        return members.isEmpty() ? Optional.empty() : Optional.of(info(members));
    }

    @Override
    public TemplateInfo captureTemplate(String vdcId, TemplateSpec spec) {
        domains.lock();
        try {
            VdcInfo vdc = domains.vdc(vdcId);
            List<Found> all = domains.domains();
            List<Found> source = byName(LibvirtDomains.ours(vdc.id(), all).stream()
                    .filter(found -> found.definition().owner().vappId().equals(spec.vappId())).toList());
            if (source.isEmpty()) {
                throw VccProblemException.notFound("vApp", spec.vappId());
            }
            requireNewName(vdc, spec.name(), all);
            if (source.stream().anyMatch(Found::running)) {
                throw new VccProblemException(ProblemType.INVALID_STATE, "vApp " + source.get(0).definition().owner().vappName()
                        + " has running VMs; power them off to capture it");
            }
            LibvirtDomains.withOurUsage(vdc, all).requireRoomFor("Template " + spec.name(), 0, 0, storageGb(source));
            String templateId = UUID.randomUUID().toString();
            List<UUID> ids = copies(vdc, source, all, i -> new DomainDefinition.Owner(vdc.id(), templateId, spec.name(),
                    source.get(i).definition().owner().vmName(), true, null));
            return info(ids.stream().map(id -> domains.required(id.toString())).toList());
        } finally {
            domains.unlock();
        }
    }

    @Override
    public VappInfo instantiateTemplate(String templateId, InstantiateRequest request) {
        domains.lock();
        try {
            List<Found> all = domains.domains();
            List<Found> members = members(templateId, all);
            if (members.isEmpty()) {
                throw VccProblemException.notFound("Template", templateId);
            }
            VdcInfo vdc = domains.vdc(members.get(0).definition().owner().vdcId());
            List<String> names = members.stream().map(found -> members.size() == 1 ? request.name()
                    : request.name() + "-" + found.definition().owner().vmName()).toList();
            Set<String> taken = LibvirtDomains.ours(vdc.id(), all).stream()
                    .map(found -> found.definition().owner().vmName()).collect(Collectors.toSet());
            for (String name : names) {
                if (taken.contains(name)) {
                    throw new VccProblemException(ProblemType.DUPLICATE, "VDC " + vdc.name() + " already has a VM named " + name);
                }
            }
            LibvirtDomains.withOurUsage(vdc, all).requireRoomFor("vApp " + request.name(),
                    members.stream().mapToInt(found -> found.definition().cpus()).sum(),
                    members.stream().mapToLong(found -> found.definition().memoryMb()).sum(), storageGb(members));
            String vappId = UUID.randomUUID().toString();
            List<UUID> ids = copies(vdc, members, all,
                    i -> new DomainDefinition.Owner(vdc.id(), vappId, request.name(), names.get(i), false, null));
            return new VappInfo(vappId, vdc.id(), request.name(), ids.stream().map(UUID::toString).toList());
        } finally {
            domains.unlock();
        }
    }

    @Override
    public void deleteTemplate(String templateId) {
        domains.lock();
        try {
            List<Found> members = members(templateId, domains.domains());
            if (members.isEmpty()) {
                throw VccProblemException.notFound("Template", templateId);
            }
            for (Found member : members) {
                try {
                    member.domain().undefine();
                } catch (LibvirtException e) {
                    throw LibvirtDomains.failure("delete VM " + member.definition().owner().vmName() + " of template "
                            + member.definition().owner().vappName(), e);
                }
                // Only once libvirt no longer knows the domain: a failed undefine leaves that VM whole.
                domains.deleteImages(member.definition().id());
            }
        } finally {
            domains.unlock();
        }
    }

    @Override
    public TemplateInfo importTemplate(String vdcId, String name, List<VmImport> given) {
        if (given.isEmpty()) {
            // A template is its VMs' domains: one without VMs could not be found again.
            throw new VccProblemException(ProblemType.VALIDATION, "Template " + name + " has no VMs to import");
        }
        // Conversions take long: outside the lock (a package import has done it before its transaction).
        List<VmImport> specs = domains.prepareImport(given);
        domains.lock();
        try {
            VdcInfo vdc = domains.vdc(vdcId);
            List<Found> all = domains.domains();
            requireNewName(vdc, name, all);
            Set<String> names = new HashSet<>();
            for (VmImport spec : specs) {
                if (!names.add(spec.name())) {
                    throw new VccProblemException(ProblemType.DUPLICATE, "Template " + name + " has two VMs named " + spec.name());
                }
            }
            long capacity = specs.stream().flatMap(spec -> spec.disks().stream()).mapToLong(VmImport.Disk::capacityBytes).sum();
            LibvirtDomains.withOurUsage(vdc, all).requireRoomFor("Template " + name, 0, 0,
                    (capacity + LibvirtDomains.GIB - 1) / LibvirtDomains.GIB);

            String templateId = UUID.randomUUID().toString();
            List<UUID> defined = domains.defineImported(vdc, all, specs,
                    spec -> new DomainDefinition.Owner(vdc.id(), templateId, name, spec.name(), true, spec.importKey()));
            return info(defined.stream().map(id -> domains.required(id.toString())).toList());
        } finally {
            domains.unlock();
            LibvirtDomains.removePrepared(given, specs);
        }
    }

    /**
     * Defines a copy of each of {@code sources} in {@code vdc}, owned as {@code owner} says for the source at
     * that index: its hardware, sparse copies of its images, NICs on the same networks (the VDC's default one
     * for a network it lacks) with new MACs. All or none.
     */
    private List<UUID> copies(VdcInfo vdc, List<Found> sources, List<Found> all, IntFunction<DomainDefinition.Owner> owner) {
        Set<String> networks = domains.networkNames(vdc);
        Set<String> macs = LibvirtDomains.macsOf(all);
        List<UUID> defined = new ArrayList<>();
        try {
            for (int v = 0; v < sources.size(); v++) {
                DomainDefinition source = sources.get(v).definition();
                DomainDefinition.Owner copyOwner = owner.apply(v);
                List<DomainDefinition.Nic> nics = new ArrayList<>();
                for (int n = 0; n < source.nics().size(); n++) {
                    String network = LibvirtDomains.network(vdc, networks, source.nics().get(n).network(), "NIC " + n + " of VM " + copyOwner.vmName());
                    String mac = domains.freeMac(macs);
                    macs.add(mac);
                    nics.add(new DomainDefinition.Nic(mac, network));
                }
                UUID id = UUID.randomUUID();
                defined.add(id);
                List<Path> disks = new ArrayList<>();
                for (int d = 0; d < source.disks().size(); d++) {
                    disks.add(domains.copyImage(id, d, source.disks().get(d)));
                }
                domains.define(new DomainDefinition(id, copyOwner, source.cpus(), source.memoryMb(), disks, nics));
            }
        } catch (RuntimeException e) {
            defined.forEach(domains::undo);
            throw e;
        }
        domains.undoOnRollback(defined);
        return defined;
    }

    private static void requireNewName(VdcInfo vdc, String name, List<Found> all) {
        if (inCatalog(vdc.id(), all).stream().anyMatch(found -> found.definition().owner().vappName().equals(name))) {
            throw new VccProblemException(ProblemType.DUPLICATE, "The catalog of VDC " + vdc.name() + " already has a template named " + name);
        }
    }

    /** The VMs of the VDC's templates. */
    private static List<Found> inCatalog(String vdcId, List<Found> all) {
        return all.stream().filter(found -> found.definition().ours() && found.definition().owner().template()
                && found.definition().owner().vdcId().equals(vdcId)).toList();
    }

    /** The template's VMs by name; empty for an unknown id and for a vApp's id. */
    private static List<Found> members(String templateId, List<Found> all) {
        return byName(all.stream().filter(found -> found.definition().ours() && found.definition().owner().template()
                && found.definition().owner().vappId().equals(templateId)).toList());
    }

    private static Map<String, List<Found>> byTemplate(List<Found> members) {
        return members.stream().collect(Collectors.groupingBy(found -> found.definition().owner().vappId(), LinkedHashMap::new,
                Collectors.toList()));
    }

    private static List<Found> byName(List<Found> members) {
        return members.stream().sorted(Comparator.comparing(found -> found.definition().owner().vmName())).toList();
    }

    private static long storageGb(List<Found> members) {
        return members.stream().mapToLong(LibvirtDomains::storageGb).sum();
    }

    private static TemplateInfo info(List<Found> members) {
        List<Found> sorted = byName(members);
        DomainDefinition.Owner owner = sorted.get(0).definition().owner();
        List<VmInfo> vms = sorted.stream().map(LibvirtDomains::info).toList();
        return new TemplateInfo(owner.vappId(), owner.vdcId(), owner.vappName(), vms);
    }
}

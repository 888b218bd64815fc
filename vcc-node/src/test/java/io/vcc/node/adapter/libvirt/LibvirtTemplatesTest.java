package io.vcc.node.adapter.libvirt;

import static org.assertj.core.api.Assertions.assertThat;

import io.vcc.api.node.InstantiateRequest;
import io.vcc.api.node.PowerState;
import io.vcc.api.node.TemplateInfo;
import io.vcc.api.node.TemplateSpec;
import io.vcc.api.node.VappInfo;
import io.vcc.api.node.VdcInfo;
import io.vcc.api.node.VmInfo;
import io.vcc.api.node.VmSpec;
import io.vcc.api.problem.ProblemType;
import io.vcc.node.adapter.VmImport;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.libvirt.LibvirtException;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The libvirt catalog against libvirt's {@code test:///default} driver: templates are real domains with real
 * (sparse) image copies, next to the VDC's VMs, which each test keeps in VDCs of its own.
 */
class LibvirtTemplatesTest extends LibvirtTestBed {

    private static final long GIB = 1L << 30;
    private static final int MIB = 1 << 20;

    private LibvirtHypervisor hypervisor;
    private LibvirtTemplates catalog;

    @BeforeEach
    void adapters() {
        hypervisor = newHypervisor(Duration.ZERO);
        catalog = hypervisor.catalog();
    }

    @Test
    void aCapturedVappInstantiatesIntoCopiesWithTheSameDisks() throws Exception {
        VdcInfo vdc = director.add("shop-vdc", 8, 8192, 5);
        VmInfo web = hypervisor.createVm(vdc.id(), new VmSpec("web", 2, 1024, 1, null, "shop"));
        VmInfo db = hypervisor.createVm(vdc.id(), new VmSpec("db", 1, 512, 1, null, "shop"));
        Path webImage = hypervisor.diskImages(web.id()).get(0);
        writeAt(webImage, 0, random(3 * MIB, 1));
        writeAt(webImage, GIB - MIB, random(MIB, 2));
        byte[] webBytes = sha256(webImage);

        hypervisor.power(web.id(), PowerState.POWERED_ON);
        assertProblem(() -> catalog.captureTemplate(vdc.id(), new TemplateSpec("shop-v1", web.vappId())), ProblemType.INVALID_STATE);
        assertThat(catalog.templates(vdc.id())).isEmpty();
        hypervisor.power(web.id(), PowerState.POWERED_OFF);

        TemplateInfo template = catalog.captureTemplate(vdc.id(), new TemplateSpec("shop-v1", web.vappId()));

        assertThat(template.name()).isEqualTo("shop-v1");
        assertThat(template.vdcId()).isEqualTo(vdc.id());
        assertThat(template.vms()).extracting(VmInfo::name).containsExactly("db", "web");
        assertThat(catalog.templates(vdc.id())).containsExactly(template);
        assertThat(catalog.template(template.id())).contains(template);
        // Template VMs are nobody's VMs: not listed, not a vApp, yet found by id for an export.
        assertThat(hypervisor.vms(vdc.id())).extracting(VmInfo::id).containsExactlyInAnyOrder(web.id(), db.id());
        assertThat(hypervisor.vapps(vdc.id())).extracting(VappInfo::name).containsExactly("shop");
        assertThat(hypervisor.vapp(template.id())).isEmpty();
        VmInfo templateWeb = template.vms().get(1);
        assertThat(hypervisor.vm(templateWeb.id())).isPresent();
        assertThat(hypervisor.withUsage(vdc)).as("VMs and template each hold 2 GB; a template runs nothing")
                .extracting(VdcInfo::cpuUsed, VdcInfo::memoryMbUsed, VdcInfo::storageGbUsed).containsExactly(3, 1536L, 4L);
        Path templateImage = hypervisor.diskImages(templateWeb.id()).get(0);
        assertThat(templateImage).startsWith(imagesDir).isNotEqualTo(webImage);
        assertThat(Files.size(templateImage)).isEqualTo(GIB);
        assertThat(sha256(templateImage)).isEqualTo(webBytes);
        assertThat(allocatedBytes(templateImage)).as("the copy stays sparse: 4 MiB of data").isLessThan(8L * MIB);
        assertThat(connection.connect().domainLookupByUUIDString(templateWeb.id()).getXMLDesc(0))
                .contains("urn:vcc:node:libvirt:1", "template=\"true\"");

        assertProblem(() -> hypervisor.power(templateWeb.id(), PowerState.POWERED_ON), ProblemType.INVALID_STATE);
        assertProblem(() -> hypervisor.deleteVm(templateWeb.id()), ProblemType.INVALID_STATE);
        assertThat(connection.connect().domainLookupByUUIDString(templateWeb.id()).isActive()).isZero();
        assertProblem(() -> catalog.captureTemplate(vdc.id(), new TemplateSpec("shop-v1", web.vappId())), ProblemType.DUPLICATE);
        assertProblem(() -> catalog.captureTemplate(vdc.id(), new TemplateSpec("shop-v2", web.vappId())), ProblemType.QUOTA_EXCEEDED);
        assertThat(catalog.templates(vdc.id())).hasSize(1);

        assertProblem(() -> catalog.instantiateTemplate(template.id(), new InstantiateRequest("shop2")), ProblemType.QUOTA_EXCEEDED);
        hypervisor.deleteVm(db.id());
        VappInfo copy = catalog.instantiateTemplate(template.id(), new InstantiateRequest("shop2"));

        assertThat(hypervisor.vapp(copy.id())).contains(copy);
        List<VmInfo> copies = copy.vmIds().stream().map(id -> hypervisor.vm(id).orElseThrow()).toList();
        assertThat(copies).extracting(VmInfo::name).containsExactly("shop2-db", "shop2-web");
        assertThat(copies).extracting(VmInfo::state).containsOnly(PowerState.POWERED_OFF);
        VmInfo webCopy = copies.get(1);
        assertThat(webCopy.cpus()).isEqualTo(2);
        assertThat(webCopy.memoryMb()).isEqualTo(1024);
        assertThat(webCopy.nics()).singleElement().satisfies(nic -> assertThat(nic.network()).isEqualTo("shop-vdc-net"));
        assertThat(webCopy.nics().get(0).mac()).isNotIn(web.nics().get(0).mac(), templateWeb.nics().get(0).mac());
        Path copyImage = hypervisor.diskImages(webCopy.id()).get(0);
        assertThat(sha256(copyImage)).isEqualTo(webBytes);
        assertThat(allocatedBytes(copyImage)).isLessThan(8L * MIB);
        assertThat(hypervisor.vms(vdc.id())).extracting(VmInfo::name).containsExactlyInAnyOrder("web", "shop2-db", "shop2-web");
        assertThat(hypervisor.power(webCopy.id(), PowerState.POWERED_ON).state()).as("an instance runs").isEqualTo(PowerState.POWERED_ON);
        assertProblem(() -> catalog.instantiateTemplate(template.id(), new InstantiateRequest("shop2")), ProblemType.DUPLICATE);

        catalog.deleteTemplate(template.id());

        assertThat(catalog.templates(vdc.id())).isEmpty();
        assertThat(catalog.template(template.id())).isEmpty();
        assertThat(hypervisor.vm(templateWeb.id())).isEmpty();
        assertThat(templateImage).doesNotExist();
        assertThat(copyImage).as("instances are the VDC's own").exists();
        assertThat(hypervisor.withUsage(vdc).storageGbUsed()).isEqualTo(3);
        assertProblem(() -> catalog.deleteTemplate(template.id()), ProblemType.NOT_FOUND);
    }

    @Test
    void aOneVmTemplatesInstanceTakesTheRequestedNameAndTheTemplateSurvivesARestart() {
        VdcInfo vdc = director.add("solo", 8, 8192, 10);
        VmInfo vm = hypervisor.createVm(vdc.id(), new VmSpec("app", 1, 256, 1, null));
        TemplateInfo template = catalog.captureTemplate(vdc.id(), new TemplateSpec("app-v1", vm.vappId()));

        // A restarted node has nothing but libvirt's domains to go by.
        LibvirtHypervisor restarted = newHypervisor(Duration.ZERO);
        restarted.removeImagesWithoutDomains();
        LibvirtTemplates again = restarted.catalog();
        assertThat(again.templates(vdc.id())).containsExactly(template);

        VappInfo instance = again.instantiateTemplate(template.id(), new InstantiateRequest("app2"));
        assertThat(instance.name()).isEqualTo("app2");
        assertThat(restarted.vm(instance.vmIds().get(0))).get().extracting(VmInfo::name).isEqualTo("app2");
        assertThat(hypervisor.diskImages(template.vms().get(0).id()).get(0)).exists();
    }

    @Test
    void otherVdcsIdsAndVappIdsAreNotTemplates() {
        VdcInfo mine = director.add("mine", 8, 8192, 10);
        VdcInfo theirs = director.add("theirs", 8, 8192, 10);
        VmInfo theirVm = hypervisor.createVm(theirs.id(), new VmSpec("secret", 1, 256, 1, null));
        VmInfo myVm = hypervisor.createVm(mine.id(), new VmSpec("mine", 1, 256, 1, null));

        assertProblem(() -> catalog.captureTemplate(mine.id(), new TemplateSpec("stolen", theirVm.vappId())), ProblemType.NOT_FOUND);
        assertProblem(() -> catalog.captureTemplate(mine.id(), new TemplateSpec("stolen", "not-a-vapp")), ProblemType.NOT_FOUND);
        assertProblem(() -> catalog.templates("nope"), ProblemType.NOT_FOUND);
        assertProblem(() -> catalog.captureTemplate(UUID.randomUUID().toString(), new TemplateSpec("x", myVm.vappId())), ProblemType.NOT_FOUND);
        assertThat(catalog.template(myVm.vappId())).as("a vApp is no template").isEmpty();
        assertProblem(() -> catalog.instantiateTemplate(myVm.vappId(), new InstantiateRequest("x")), ProblemType.NOT_FOUND);
        assertProblem(() -> catalog.deleteTemplate(myVm.vappId()), ProblemType.NOT_FOUND);
        assertThat(hypervisor.vm(myVm.id())).isPresent();

        TemplateInfo theirTemplate = catalog.captureTemplate(theirs.id(), new TemplateSpec("t", theirVm.vappId()));
        assertThat(catalog.templates(mine.id())).isEmpty();
        assertThat(catalog.templates(theirs.id())).containsExactly(theirTemplate);
        // The same template name in another VDC's catalog is fine.
        assertThat(catalog.captureTemplate(mine.id(), new TemplateSpec("t", myVm.vappId())).vdcId()).isEqualTo(mine.id());
    }

    @Test
    void anImportedTemplateTakesItsImagesOverAndCountsOnlyStorage() throws Exception {
        VdcInfo vdc = director.add("imports", 2, 1024, 3, "backend");
        hypervisor.createVm(vdc.id(), new VmSpec("web", 2, 1024, 1, null));
        Path staged = Files.createDirectories(home.resolve("staging"));
        Path image = Files.write(staged.resolve("a.img"), new byte[] {1, 2, 3, 4});
        VmImport web = new VmImport("web", 4, 4096, List.of(new VmImport.Disk(0, GIB, image, null)),
                List.of(new VmImport.Nic(0, "backend", "02:aa:bb:cc:dd:02")), null);

        TemplateInfo template = catalog.importTemplate(vdc.id(), "suite-v1", List.of(web));

        assertThat(template.vms()).singleElement().satisfies(vm -> {
            assertThat(vm.name()).as("a template VM keeps a name the VDC's VMs have").isEqualTo("web");
            assertThat(vm.cpus()).as("more CPUs than the VDC has left: a template runs nothing").isEqualTo(4);
            assertThat(vm.nics()).singleElement().satisfies(nic -> {
                assertThat(nic.network()).isEqualTo("backend");
                assertThat(nic.mac()).isEqualTo("02:aa:bb:cc:dd:02");
            });
        });
        Path disk = hypervisor.diskImages(template.vms().get(0).id()).get(0);
        assertThat(Files.size(disk)).isEqualTo(GIB);
        try (var in = Files.newInputStream(disk)) {
            assertThat(in.readNBytes(5)).containsExactly(1, 2, 3, 4, 0);
        }
        assertThat(catalog.templates(vdc.id())).containsExactly(template);
        assertThat(hypervisor.vms(vdc.id())).extracting(VmInfo::name).containsExactly("web");
        assertThat(hypervisor.withUsage(vdc)).extracting(VdcInfo::cpuUsed, VdcInfo::storageGbUsed).containsExactly(2, 2L);

        assertProblem(() -> catalog.importTemplate(vdc.id(), "suite-v1", List.of(web)), ProblemType.DUPLICATE);
        assertProblem(() -> catalog.importTemplate(vdc.id(), "big", List.of(new VmImport("big", 1, 256,
                List.of(new VmImport.Disk(0, 2 * GIB, image, null)), List.of(), null))), ProblemType.QUOTA_EXCEEDED);
        assertProblem(() -> catalog.importTemplate(vdc.id(), "empty", List.of()), ProblemType.VALIDATION);
        assertThat(catalog.templates(vdc.id())).containsExactly(template);
    }

    @Test
    void whatACaptureMadeIsRemovedWhenTheCallersTransactionRollsBack() {
        VdcInfo vdc = director.add("rollback", 8, 8192, 10);
        VmInfo vm = hypervisor.createVm(vdc.id(), new VmSpec("app", 1, 256, 1, null));
        int domainsBefore = domainCount();

        TransactionSynchronizationManager.initSynchronization();
        TemplateInfo template;
        List<TransactionSynchronization> registered;
        try {
            template = catalog.captureTemplate(vdc.id(), new TemplateSpec("app-v1", vm.vappId()));
            registered = TransactionSynchronizationManager.getSynchronizations();
        } finally {
            TransactionSynchronizationManager.clearSynchronization();
        }
        Path image = hypervisor.diskImages(template.vms().get(0).id()).get(0);
        assertThat(domainCount()).isEqualTo(domainsBefore + 1);

        registered.forEach(sync -> sync.afterCompletion(TransactionSynchronization.STATUS_ROLLED_BACK));

        assertThat(catalog.templates(vdc.id())).isEmpty();
        assertThat(domainCount()).isEqualTo(domainsBefore);
        assertThat(image).doesNotExist();
        assertThat(hypervisor.vm(vm.id())).as("the captured vApp stays").isPresent();
    }

    private static int domainCount() {
        try {
            return connection.connect().listAllDomains(0).length;
        } catch (LibvirtException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void writeAt(Path file, long position, byte[] bytes) throws Exception {
        try (RandomAccessFile out = new RandomAccessFile(file.toFile(), "rw")) {
            out.seek(position);
            out.write(bytes);
        }
    }

    private static byte[] random(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static byte[] sha256(Path file) throws Exception {
        java.security.MessageDigest digest = java.security.MessageDigest.getInstance("SHA-256");
        try (var in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 20];
            for (int read; (read = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, read);
            }
        }
        return digest.digest();
    }
}

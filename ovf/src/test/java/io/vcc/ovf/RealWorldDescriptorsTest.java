package io.vcc.ovf;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.vcc.ovf.OvfSamples.GIB;
import static io.vcc.ovf.OvfSamples.MIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** Descriptors in the shape real tools write them (see src/test/resources/ovf). */
class RealWorldDescriptorsTest {

    private final OvfDescriptorReader reader = new OvfDescriptorReader();

    @Nested
    class VmwareOvftoolExport {

        private final OvfEnvelope envelope = reader.read(OvfSamples.resource("vmware/web01.ovf"));
        private final VirtualSystem vm = (VirtualSystem) envelope.content();

        @Test
        void readsReferencesWithSizes() {
            assertThat(envelope.files()).containsExactly(
                    new FileReference("file1", "web01-disk1.vmdk", 1873512448L),
                    new FileReference("file2", "web01-disk2.vmdk", 68608L),
                    new FileReference("file3", "web01-file1.nvram", 270840L));
        }

        @Test
        void resolvesDiskCapacityUnits() {
            assertThat(envelope.disks()).containsExactly(
                    new VirtualDisk("vmdisk1", "file1", 40 * GIB, VirtualDisk.VMDK_STREAM_OPTIMIZED, 4546625536L),
                    new VirtualDisk("vmdisk2", "file2", 10240 * MIB, VirtualDisk.VMDK_STREAM_OPTIMIZED, 0L));
        }

        @Test
        void readsHardware() {
            VirtualHardware hardware = vm.hardware();
            assertThat(hardware.systemType()).isEqualTo("vmx-13");
            assertThat(hardware.cpus()).isEqualTo(4);
            assertThat(hardware.memoryBytes()).isEqualTo(8 * GIB);
            StorageController pvscsi = new StorageController(ControllerType.SCSI, "VirtualSCSI", 0);
            // The CD-ROM on the SATA controller is not a disk and is left out.
            assertThat(hardware.disks()).containsExactly(
                    new DiskAttachment("vmdisk1", pvscsi, 0), new DiskAttachment("vmdisk2", pvscsi, 1));
        }

        @Test
        void readsVmxnet3NicsWithNormalisedMacs() {
            assertThat(vm.hardware().nics()).containsExactly(
                    new NetworkAdapter("VM Network", "00:50:56:8a:3f:01", "VmxNet3"),
                    new NetworkAdapter("dmz-vlan120", "00:50:56:8a:3f:02", "VmxNet3"));
            assertThat(envelope.networks()).extracting(OvfNetwork::name).containsExactly("VM Network", "dmz-vlan120");
        }

        @Test
        void readsGuestOsAndName() {
            assertThat(vm.id()).isEqualTo("web01");
            assertThat(vm.name()).isEqualTo("web01");
            assertThat(vm.os()).isEqualTo(new GuestOs(94, "Ubuntu Linux (64-bit)", "ubuntu64Guest"));
            assertThat(vm.product()).isNull();
        }

        @Test
        void manifestIsSha256() {
            OvfManifest manifest = OvfManifest.parse(OvfSamples.resource("vmware/web01.mf"));

            assertThat(manifest.entries()).extracting(ManifestEntry::algorithm).containsOnly(OvfDigestAlgorithm.SHA256);
            assertThat(manifest.entries()).extracting(ManifestEntry::fileName).containsExactly(
                    "web01.ovf", "web01-disk1.vmdk", "web01-disk2.vmdk", "web01-file1.nvram");
        }
    }

    @Nested
    class VirtualBoxExport {

        private final OvfEnvelope envelope = reader.read(OvfSamples.resource("virtualbox/debian12.ovf"));
        private final VirtualSystem vm = (VirtualSystem) envelope.content();

        @Test
        void readsDiskWithoutUnitsAsBytesAndReferenceWithoutSize() {
            assertThat(envelope.files()).containsExactly(new FileReference("file1", "debian12-disk001.vmdk", null));
            assertThat(envelope.disks()).containsExactly(
                    new VirtualDisk("vmdisk1", "file1", 20 * GIB, VirtualDisk.VMDK_STREAM_OPTIMIZED, null));
        }

        @Test
        void readsMegaBytesMemoryAndSataDiskWithVirtualBoxHostResource() {
            VirtualHardware hardware = vm.hardware();
            assertThat(hardware.systemType()).isEqualTo("virtualbox-2.2");
            assertThat(hardware.cpus()).isEqualTo(2);
            assertThat(hardware.memoryBytes()).isEqualTo(2048 * MIB);
            assertThat(hardware.disks()).containsExactly(new DiskAttachment("vmdisk1",
                    new StorageController(ControllerType.OTHER_STORAGE, "AHCI", 0), 0));
        }

        @Test
        void takesMacsFromTheVboxMachineSectionInSlotOrder() {
            assertThat(vm.hardware().nics()).containsExactly(
                    new NetworkAdapter("NAT", "08:00:27:d4:e1:a0", "E1000"),
                    new NetworkAdapter("HostOnly", "08:00:27:b9:3c:52", "virtio"));
        }

        @Test
        void readsProductAndVirtualBoxOsType() {
            assertThat(vm.name()).isEqualTo("debian12");
            assertThat(vm.product()).isEqualTo(new ProductInfo("Debian build agent", "Example Org", "12.5", null,
                    "https://ci.example.org/agents", "https://example.org"));
            assertThat(vm.os()).isEqualTo(new GuestOs(96, "Debian_64", "Debian_64"));
        }

        @Test
        void manifestIsSha1WithSpacesAroundTheName() {
            OvfManifest manifest = OvfManifest.parse(OvfSamples.resource("virtualbox/debian12.mf"));

            assertThat(manifest.entry("debian12-disk001.vmdk")).hasValue(new ManifestEntry(OvfDigestAlgorithm.SHA1,
                    "debian12-disk001.vmdk", "a91e3c7f2b8d4e6a0c5f1b9d3e7a2c4f8b6d0e1a"));
            assertThat(manifest.entries()).hasSize(2);
        }
    }

    @Nested
    class VendorApplianceInOvf2 {

        private final OvfEnvelope envelope = reader.read(OvfSamples.resource("vendor/acme-suite.ovf"));

        @Test
        void readsTheCollectionAndItsProduct() {
            assertThat(envelope.content()).isInstanceOf(VirtualSystemCollection.class);
            assertThat(envelope.content().id()).isEqualTo("acme-suite");
            assertThat(envelope.content().product()).isEqualTo(new ProductInfo("ACME Observability Suite",
                    "ACME Corp.", "3.2", "3.2.1-build.4711", "https://acme.example/observability",
                    "https://acme.example"));
            assertThat(envelope.virtualSystems()).extracting(VirtualSystem::id).containsExactly("acme-db", "acme-app");
        }

        @Test
        void resolvesEveryCapacityUnitAndKeepsCompression() {
            assertThat(envelope.disks()).extracting(VirtualDisk::diskId, VirtualDisk::capacityBytes).containsExactly(
                    tuple("db-root", 32 * GIB),
                    tuple("db-data", 200 * GIB),
                    tuple("app-root", 20 * GIB),
                    tuple("app-data", 100 * GIB));
            assertThat(envelope.disk("db-data")).hasValueSatisfying(d -> assertThat(d.fileRef()).isNull());
            assertThat(envelope.file("app-data")).hasValue(
                    new FileReference("app-data", "acme-app-data.vmdk.gz", 52428800L, "gzip"));
        }

        @Test
        void readsTheDefaultDeploymentOptionsHardware() {
            VirtualSystem db = envelope.virtualSystems().get(0);
            assertThat(db.hardware().cpus()).isEqualTo(2);
            assertThat(db.hardware().memoryBytes()).isEqualTo(8 * GIB);
            assertThat(db.hardware().systemType()).isEqualTo("vmx-15 vmx-19");
            StorageController nvme = new StorageController(ControllerType.OTHER_STORAGE, "vmware.nvme.controller", 0);
            assertThat(db.hardware().disks()).containsExactly(
                    new DiskAttachment("db-root", nvme, 0), new DiskAttachment("db-data", nvme, 1));
            assertThat(db.hardware().nics()).containsExactly(new NetworkAdapter("backend", null, "VmxNet3"));
            // The ProductSection without ovf:class is the product; this one only has a component's.
            assertThat(db.product()).isEqualTo(new ProductInfo("ACME Suite DB", null, "15.6", null, null, null));
        }

        @Test
        void readsOvf2StorageAndEthernetPortItems() {
            VirtualSystem app = envelope.virtualSystems().get(1);
            assertThat(app.hardware().cpus()).isEqualTo(2);
            assertThat(app.hardware().memoryBytes()).isEqualTo(8 * GIB);
            StorageController lsi = new StorageController(ControllerType.SCSI, "lsilogic", 0);
            assertThat(app.hardware().disks()).containsExactly(
                    new DiskAttachment("app-root", lsi, 0), new DiskAttachment("app-data", lsi, 1));
            assertThat(app.hardware().nics()).containsExactly(
                    new NetworkAdapter("frontend", "00:16:3e:5a:10:01", "E1000e"),
                    new NetworkAdapter("backend", "00:16:3e:5a:10:02", "VmxNet3"));
        }

        @Test
        void survivesAWriteAndReadAsOvf2() {
            OvfDescriptorWriter writer = new OvfDescriptorWriter();

            assertThat(reader.read(writer.write(envelope))).isEqualTo(envelope);
        }
    }

    @Test
    void ovftoolAndVirtualBoxDescriptorsAlsoSurviveRewritingAsOvf2() {
        OvfDescriptorWriter writer = new OvfDescriptorWriter();
        for (String fixture : List.of("vmware/web01.ovf", "virtualbox/debian12.ovf")) {
            OvfEnvelope original = reader.read(OvfSamples.resource(fixture));

            assertThat(reader.read(writer.write(original))).as(fixture).isEqualTo(original);
        }
    }
}

package io.vcc.ovf;

import io.vcc.ovf.OvfException.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static io.vcc.ovf.OvfSamples.GIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A package with three sizes (ovf/profiles/edge-router.ovf, shaped as ovftool writes one): its items share
 * InstanceIDs across configurations, as DSP0243 allows, a common CPU item overridden by two sizes and one
 * complete memory item per size. Read with its default size or the one asked for.
 */
class DeploymentOptionsTest {

    private static final byte[] DESCRIPTOR = OvfSamples.resource("profiles/edge-router.ovf");

    private final OvfDescriptorReader reader = new OvfDescriptorReader();

    @TempDir
    Path tmp;

    @Test
    void listsTheThreeSizesWithTheMarkedDefault() {
        assertThat(reader.deploymentOptions(DESCRIPTOR)).containsExactly(
                new DeploymentOption("small", "Small", false),
                new DeploymentOption("medium", "Medium", true),
                new DeploymentOption("large", "Large", false));
    }

    @Test
    void readsTheDefaultSizeWhenNoneIsAsked() {
        VirtualHardware hardware = reader.read(DESCRIPTOR).virtualSystems().get(0).hardware();

        assertThat(hardware.cpus()).isEqualTo(4);
        assertThat(hardware.memoryBytes()).isEqualTo(8 * GIB);
        assertThat(hardware.nics()).extracting(NetworkAdapter::network).containsExactly("WAN", "LAN");
        assertThat(hardware.disks()).extracting(DiskAttachment::diskId).containsExactly("vmdisk1");
    }

    @Test
    void readsTheSizeAskedFor() {
        VirtualHardware small = reader.read(DESCRIPTOR, "small").virtualSystems().get(0).hardware();
        VirtualHardware large = reader.read(DESCRIPTOR, "large").virtualSystems().get(0).hardware();

        // small has only the common CPU item; its memory item is its own.
        assertThat(small.cpus()).isEqualTo(2);
        assertThat(small.memoryBytes()).isEqualTo(4 * GIB);
        assertThat(small.nics()).hasSize(2);
        assertThat(large.cpus()).isEqualTo(8);
        assertThat(large.memoryBytes()).isEqualTo(16 * GIB);
        assertThat(large.nics()).extracting(NetworkAdapter::network).containsExactly("WAN", "LAN", "LAN");
    }

    @Test
    void anOptionThePackageDoesNotOfferIsRefusedNamingTheOffered() {
        assertThatThrownBy(() -> reader.read(DESCRIPTOR, "huge"))
                .isInstanceOfSatisfying(OvfException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_DEPLOYMENT_OPTION);
                    assertThat(e.detail()).contains("'huge'", "small, medium, large");
                });
        byte[] withoutOptions = new OvfDescriptorWriter().write(OvfSamples.singleVm("disk1.vmdk", null));
        assertThatThrownBy(() -> reader.read(withoutOptions, "small"))
                .isInstanceOfSatisfying(OvfException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_DEPLOYMENT_OPTION);
                    assertThat(e.detail()).contains("no deployment options");
                });
    }

    @Test
    void withoutADefaultMarkTheFirstOptionIsTheDefault() {
        byte[] unmarked = text().replace("ovf:default=\"true\" ", "").getBytes(StandardCharsets.UTF_8);

        assertThat(reader.deploymentOptions(unmarked)).extracting(DeploymentOption::isDefault).containsExactly(true, false, false);
        assertThat(reader.read(unmarked).virtualSystems().get(0).hardware().cpus()).isEqualTo(2);
    }

    @Test
    void itemsSharingAnInstanceIdMustBeOfOneResourceType() {
        // A "medium" override of the CPU item (InstanceID 1) that claims to be memory.
        byte[] inconsistent = text().replaceFirst(
                "<rasd:InstanceID>1</rasd:InstanceID>\\s*<rasd:ResourceType>3</rasd:ResourceType>\\s*<rasd:VirtualQuantity>4<",
                "<rasd:InstanceID>1</rasd:InstanceID><rasd:ResourceType>4</rasd:ResourceType><rasd:VirtualQuantity>4<")
                .getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> reader.read(inconsistent)).isInstanceOfSatisfying(OvfException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.MALFORMED_DESCRIPTOR);
            assertThat(e.detail()).contains("InstanceID 1");
        });
        // The other sizes never see the bad item.
        assertThat(reader.read(inconsistent, "small").virtualSystems().get(0).hardware().cpus()).isEqualTo(2);
    }

    @Test
    void anOptionDeclaredTwiceIsRefused() {
        byte[] twice = text().replace("<Configuration ovf:id=\"large\">", "<Configuration ovf:id=\"small\">")
                .getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> reader.deploymentOptions(twice)).isInstanceOfSatisfying(OvfException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED_DESCRIPTOR));
    }

    @Test
    void anOvaIsReadWithTheOptionAskedForAndSaysWhichItIs() throws IOException {
        byte[] disk = OvfSamples.diskBytes(4096, 9);
        byte[] descriptor = text().replace("ovf:size=\"318767104\"", "ovf:size=\"4096\"").getBytes(StandardCharsets.UTF_8);
        byte[] ova = new TarBuilder().file("edge-router.ovf", descriptor)
                .file("edge-router.mf", "SHA256(edge-router.ovf)= " + OvfSamples.sha256(descriptor) + "\n"
                        + "SHA256(edge-router-disk1.vmdk)= " + OvfSamples.sha256(disk) + "\n")
                .file("edge-router-disk1.vmdk", disk).build();

        OvfPackage byDefault = new OvaReader().read(new ByteArrayInputStream(ova), MemberSink.discarding());
        OvfPackage large = new OvaReader(OvfLimits.defaults(), new PackageOptions("large", true))
                .read(new ByteArrayInputStream(ova), MemberSink.discarding());

        assertThat(byDefault.deploymentOption()).isEqualTo("medium");
        assertThat(byDefault.envelope().virtualSystems().get(0).hardware().cpus()).isEqualTo(4);
        assertThat(large.deploymentOption()).isEqualTo("large");
        assertThat(large.envelope().virtualSystems().get(0).hardware().cpus()).isEqualTo(8);
        // The early look at an upload's head refuses an unknown option before the disks arrive.
        assertThatThrownBy(() -> new OvaReader(OvfLimits.defaults(), new PackageOptions("xl", true))
                .readDescriptor(new ByteArrayInputStream(ova), 2048 + descriptor.length))
                .isInstanceOfSatisfying(OvfException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_DEPLOYMENT_OPTION));
    }

    private static String text() {
        return new String(DESCRIPTOR, StandardCharsets.UTF_8);
    }
}

package io.vcc.ovf;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static io.vcc.ovf.OvfSamples.GIB;
import static io.vcc.ovf.OvfSamples.MIB;
import static org.assertj.core.api.Assertions.assertThat;

class OvfDescriptorRoundTripTest {

    private final OvfDescriptorWriter writer = new OvfDescriptorWriter();
    private final OvfDescriptorReader reader = new OvfDescriptorReader();

    @Test
    void collectionOfTwoVmsReadsBackEqual() {
        OvfEnvelope envelope = OvfSamples.twoVmCollection();

        OvfEnvelope readBack = reader.read(writer.write(envelope));

        assertThat(readBack).isEqualTo(envelope);
        assertThat(readBack.virtualSystems()).extracting(VirtualSystem::name).containsExactly("web-01", "db-01");
    }

    @Test
    void writesOvf2WithRasdItemsTheSchemaOrders() {
        String xml = new String(writer.write(OvfSamples.twoVmCollection()), StandardCharsets.UTF_8);

        assertThat(xml).startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
                .contains("<Envelope xmlns=\"http://schemas.dmtf.org/ovf/envelope/2\"")
                .contains("ovf:capacity=\"20\" ovf:capacityAllocationUnits=\"byte * 2^30\"")
                .contains("<rasd:AllocationUnits>byte * 2^20</rasd:AllocationUnits>")
                .contains("<rasd:HostResource>ovf:/disk/web-root</rasd:HostResource>")
                .contains("<rasd:Address>00:50:56:aa:00:01</rasd:Address>")
                .contains("vmw:osType=\"ubuntu64Guest\"");
        // CIM RASD properties are an alphabetical xs:sequence; OVF 1.x validators reject other orders.
        String nic = xml.substring(xml.indexOf("<rasd:Address>00:50:56:aa:00:01"));
        assertThat(nic.indexOf("<rasd:Connection>")).isLessThan(nic.indexOf("<rasd:ElementName>"));
        assertThat(nic.indexOf("<rasd:ElementName>")).isLessThan(nic.indexOf("<rasd:InstanceID>"));
        assertThat(nic.indexOf("<rasd:ResourceSubType>")).isLessThan(nic.indexOf("<rasd:ResourceType>"));
    }

    @Test
    void singleVmWithBlankDiskUnconnectedNicAndOddSizesReadsBackEqual() {
        OvfEnvelope envelope = new OvfEnvelope(List.of(),
                List.of(new VirtualDisk("scratch", null, 7 * MIB + 1, null, null)),
                List.of(),
                new VirtualSystem("lone", null, null, null, new VirtualHardware(null, 1, 300 * MIB + 4096,
                        List.of(new DiskAttachment("scratch", null, null)),
                        List.of(new NetworkAdapter(null, null, null)))));

        OvfEnvelope readBack = reader.read(writer.write(envelope));

        assertThat(readBack).isEqualTo(envelope);
        assertThat(readBack.content().name()).isEqualTo("lone");
        assertThat(readBack.disks().get(0).capacityBytes()).isEqualTo(7 * MIB + 1);
        assertThat(((VirtualSystem) readBack.content()).hardware().memoryBytes()).isEqualTo(300 * MIB + 4096);
    }

    @Test
    void nestedCollectionsAndMarkupInTextReadBackEqual() {
        VirtualSystem inner = new VirtualSystem("inner-vm", "<db> & \"cache\" \u00e9\u4e2d", null,
                new GuestOs(1, "Other", null), new VirtualHardware("vmx-19", 1, GIB, List.of(), List.of()));
        OvfEnvelope envelope = new OvfEnvelope(List.of(), List.of(), List.of(),
                new VirtualSystemCollection("outer", "Outer", ProductInfo.of("P&Q", "V<W>", "1"),
                        List.of(new VirtualSystemCollection("middle", null, null, List.of(inner)))));

        assertThat(reader.read(writer.write(envelope))).isEqualTo(envelope);
    }

    @Test
    void controllersOfTheSameTypeOnDifferentBusesStayApart() {
        StorageController first = new StorageController(ControllerType.SCSI, "lsilogic", 0);
        StorageController second = new StorageController(ControllerType.SCSI, "lsilogic", 1);
        StorageController ide = new StorageController(ControllerType.IDE, null, 1);
        OvfEnvelope envelope = new OvfEnvelope(List.of(),
                List.of(new VirtualDisk("a", null, GIB, null, null), new VirtualDisk("b", null, GIB, null, null),
                        new VirtualDisk("c", null, GIB, null, null)),
                List.of(),
                new VirtualSystem("vm", "vm", null, null, new VirtualHardware("vmx-13", 1, GIB,
                        List.of(new DiskAttachment("a", first, 0), new DiskAttachment("b", second, 0),
                                new DiskAttachment("c", ide, 1)),
                        List.of())));

        VirtualSystem readBack = (VirtualSystem) reader.read(writer.write(envelope)).content();

        assertThat(readBack.hardware().disks()).extracting(DiskAttachment::controller)
                .containsExactly(first, second, ide);
    }
}

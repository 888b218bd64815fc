package io.vcc.datapath.frame;

import static io.vcc.datapath.frame.SeedFrames.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The seed's example frames, byte for byte, untagged as endpoints see them and tagged as nodes carry them. */
class SeedFramesTest {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void frame600AsTheEndpointsSeeIt() {
        assertThat(HEX.formatHex(FRAME_600.toBytes())).isEqualTo(
                "280880521720" + "57896f889dc7" + "88b5" + "4861707079");
    }

    @Test
    void frame600WithTheASeriesHostAndCustomerTags() {
        assertThat(HEX.formatHex(pushHostAndCustomer(FRAME_600, A_SERIES))).isEqualTo(
                "280880521720" + "57896f889dc7" + "88a80064" + "810000c8" + "88b5" + "4861707079");
    }

    @Test
    void frames700And750ShareTheHostTagButNotTheCustomerTag() {
        assertThat(HEX.formatHex(pushHostAndCustomer(FRAME_700, B_SERIES_700))).isEqualTo(
                "6e25471f9a97" + "047a9ea1a341" + "88a80065" + "810000c9" + "88b5" + "4772756d7079");
        assertThat(HEX.formatHex(pushHostAndCustomer(FRAME_750, B_SERIES_750))).isEqualTo(
                "8a0228112a01" + "047a9ea1a341" + "88a80065" + "810000ca" + "88b5" + "536e65657a79");
    }

    @Test
    void frame800CarriesTheDatacenterTagOutermost() {
        ByteBuf buf = Unpooled.buffer(64);
        int frame = 16;
        byte[] plain = FRAME_800.toBytes();
        buf.setBytes(frame, plain);
        frame = EthernetFrames.pushTags(buf, frame, Tag.dot1ad(C_SERIES.host()).word(), Tag.dot1q(C_SERIES.customer()).word());
        frame = EthernetFrames.pushTag(buf, frame, Tag.dot1ad(DATACENTER_FIRST_CLOUD).word());
        byte[] tagged = new byte[plain.length + 12];
        buf.getBytes(frame, tagged);
        assertThat(HEX.formatHex(tagged)).isEqualTo(
                "000919200705" + "f39819ab55b4" + "88a8006c" + "88a80066" + "810000cb" + "88b5" + "446f706579");
        assertThat(EthernetFrame.decode(tagged, 4).tags()).containsExactly(
                Tag.dot1ad(DATACENTER_FIRST_CLOUD), Tag.dot1ad(102), Tag.dot1q(203));

        // "switch 116 will remove the OSI Layer 2 tags that are not expected": all three, in place
        frame = EthernetFrames.popTags(buf, frame, 3);
        byte[] delivered = new byte[plain.length];
        buf.getBytes(frame, delivered);
        assertThat(delivered).isEqualTo(plain);
    }

    @Test
    void theMacOf110DAsPrintedHasFiveOctetsAndIsRepairedToSixUnicast() {
        assertThatThrownBy(() -> MacAddress.parse(MAC_110D_AS_PRINTED)).hasMessageContaining("six octets");
        long repaired = MacAddress.parse(MAC_110D);
        assertThat(MacAddress.format(repaired)).isEqualTo("00:09:19:20:07:05");
        assertThat(MacAddress.isGroup(repaired)).isFalse();
        assertThat(MacAddress.format(repaired)).endsWith(MAC_110D_AS_PRINTED);
    }

    @Test
    void aTenantsOwnDot1qTagStaysWhereItIs() {
        EthernetFrame tenantTagged = FRAME_700.withTags(List.of(Tag.dot1q(10)));
        byte[] tagged = pushHostAndCustomer(tenantTagged, B_SERIES_700);
        assertThat(HEX.formatHex(tagged)).isEqualTo(
                "6e25471f9a97" + "047a9ea1a341" + "88a80065" + "810000c9" + "8100000a" + "88b5" + "4772756d7079");
        ByteBuf buf = Unpooled.wrappedBuffer(tagged);
        int frame = EthernetFrames.popTags(buf, 0, 2);
        assertThat(EthernetFrame.decode(buf, frame, tagged.length - frame, 2)).isEqualTo(tenantTagged);
    }

    @Test
    void vxlanCarriesTheUntaggedFrameWithTheSegmentsVni() {
        byte[] datagram = Vxlan.encapsulate(0x001389, FRAME_600.toBytes());
        assertThat(HEX.formatHex(datagram)).isEqualTo(
                "08000000" + "00138900" + "280880521720" + "57896f889dc7" + "88b5" + "4861707079");
        ByteBuf buf = Unpooled.wrappedBuffer(datagram);
        assertThat(Vxlan.hasValidFlags(buf, 0)).isTrue();
        assertThat(Vxlan.vni(buf, 0)).isEqualTo(5001);
    }

    private static byte[] pushHostAndCustomer(EthernetFrame frame, Tags tags) {
        byte[] plain = frame.toBytes();
        ByteBuf buf = Unpooled.buffer(plain.length + 8);
        buf.setBytes(8, plain);
        int start = EthernetFrames.pushTags(buf, 8, Tag.dot1ad(tags.host()).word(), Tag.dot1q(tags.customer()).word());
        assertThat(start).isZero();
        byte[] out = new byte[plain.length + 8];
        buf.getBytes(0, out);
        return out;
    }
}

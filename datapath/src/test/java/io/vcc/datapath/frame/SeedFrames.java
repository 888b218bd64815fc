package io.vcc.datapath.frame;

import java.nio.charset.StandardCharsets;

/**
 * The example frames of the layer-2 interconnection seed (FIGS. 6, 7 and 8), with the concrete values the
 * seed leaves open:
 *
 * <ul>
 *   <li>EtherType 0x88B5 (IEEE 802 "local experimental"): the seed's frames carry a bare payload word.</li>
 *   <li>Tag values: the seed names only frame 600's, Q-A100 (host) and Q-A200 (customer), taken as VIDs 100
 *       and 200. For the B series (frames 700, 750: same host tag, different customer tag) and the C series
 *       (frame 800) it gives letters only; these use host 101 / customer 201 (700) and 202 (750), and host
 *       102 / customer 203 (800).</li>
 *   <li>Datacenter tags: the seed's reference numerals of the clouds, 108 for the first cloud (where 110D is)
 *       and 208 for the second.</li>
 *   <li><b>Repair:</b> the seed gives the destination MAC of physical cloud system 110D (frame 800) as
 *       {@code 09:19:20:07:05}, five octets. A MAC address has six. The repair prepends a zero octet:
 *       {@code 00:09:19:20:07:05}. It keeps the five given octets in their order, and makes the first octet
 *       even, so the address is unicast (I/G bit clear) and globally administered, as a physical system's
 *       address must be; appending an octet instead would have left {@code 09} first, a multicast address.</li>
 * </ul>
 *
 * Note that the seed's source MACs of frames 600 ({@code 57:...}) and 800 ({@code f3:...}) have the I/G bit
 * set, i.e. are group addresses; they are kept as given. The datapath forwards such frames but never learns
 * a group address as a location.
 */
public final class SeedFrames {

    public static final int ETHERTYPE_EXPERIMENTAL = 0x88B5;
    public static final int DATACENTER_FIRST_CLOUD = 108;
    public static final int DATACENTER_SECOND_CLOUD = 208;

    /** Destination MAC of system 110D as the seed prints it: five octets only. */
    public static final String MAC_110D_AS_PRINTED = "09:19:20:07:05";
    /** The repaired six-octet address used everywhere. */
    public static final String MAC_110D = "00:09:19:20:07:05";

    public static final EthernetFrame FRAME_600 = frame("28:08:80:52:17:20", "57:89:6f:88:9d:c7", "Happy");
    public static final EthernetFrame FRAME_700 = frame("6e:25:47:1f:9a:97", "04:7A:9e:a1:a3:41", "Grumpy");
    public static final EthernetFrame FRAME_750 = frame("8a:02:28:11:2a:01", "04:7A:9e:a1:a3:41", "Sneezy");
    public static final EthernetFrame FRAME_800 = frame(MAC_110D, "f3:98:19:ab:55:b4", "Dopey");

    public record Tags(int host, int customer) {
    }

    public static final Tags A_SERIES = new Tags(100, 200);
    public static final Tags B_SERIES_700 = new Tags(101, 201);
    public static final Tags B_SERIES_750 = new Tags(101, 202);
    public static final Tags C_SERIES = new Tags(102, 203);

    private SeedFrames() {
    }

    private static EthernetFrame frame(String destination, String source, String payload) {
        return EthernetFrame.of(destination, source, ETHERTYPE_EXPERIMENTAL, payload.getBytes(StandardCharsets.US_ASCII));
    }
}

package io.vcc.datapath;

import io.netty.buffer.ByteBuf;
import io.vcc.datapath.frame.EthernetFrames;
import io.vcc.datapath.frame.MacAddress;
import io.vcc.datapath.frame.Tag;
import io.vcc.datapath.frame.Vxlan;
import io.vcc.datapath.tunnel.KeyRing;
import io.vcc.datapath.tunnel.ReplayWindow;
import io.vcc.datapath.tunnel.TunnelCipher;
import io.vcc.datapath.tunnel.TunnelHeader;
import java.net.InetSocketAddress;
import java.util.function.LongSupplier;

/**
 * The forwarding logic, apart from sockets so that tests and the fuzzer drive it directly. Stateless
 * itself: everything it decides comes from the current {@link ForwardingTable} and the segments' MAC
 * tables, and everything it does goes through an {@link Egress}.
 *
 * <p>Wire order of the node's tags (outermost first, right after the source MAC): datacenter tag
 * (802.1ad), host tag (802.1ad), customer tag (802.1Q), then the tenant's own tags untouched. The seed
 * draws them as Tag1 host, Tag2 customer, Tag3 datacenter, conceptually; on the wire the datacenter tag
 * is outermost because it is the one read between datacenters and is pushed last, and the host S-tag
 * sits outside the customer C-tag as 802.1ad stacks them.
 *
 * <p>Never throws for any input and never reads outside the datagram: each check below comes before the
 * read it guards, and every way out is either a send or a counted drop.
 */
final class FrameForwarder {

    static final int MTDC_TAG_OCTETS = 3 * EthernetFrames.TAG_LENGTH;

    private final TagMap tagMap;
    private final DatapathCounters counters;
    private final LongSupplier clock;
    private final int localDatacenterTag;
    private final int maxFrameLength;
    private final int maxTenantTags;
    private final int maxTunneledFrame;
    private final int maxTunnelDatagram;

    FrameForwarder(DatapathConfig config, TagMap tagMap, DatapathCounters counters) {
        this.tagMap = tagMap;
        this.counters = counters;
        this.clock = config.nanoClock();
        this.localDatacenterTag = config.datacenterTag();
        this.maxFrameLength = config.maxFrameLength();
        this.maxTenantTags = config.maxTenantTags();
        this.maxTunneledFrame = Math.min(config.mtuBudget().maxTunneledFrame(), maxFrameLength);
        this.maxTunnelDatagram = TunnelHeader.OVERHEAD + MTDC_TAG_OCTETS + maxFrameLength;
    }

    /** The longest datagram either socket has to read; anything longer is oversize. */
    int maxDatagram() {
        return maxTunnelDatagram;
    }

    /** A VXLAN datagram from a VTEP of the local cloud. The caller keeps ownership of {@code datagram}. */
    void fromLocal(ByteBuf datagram, InetSocketAddress sender, Egress out) {
        int offset = datagram.readerIndex();
        int length = datagram.readableBytes();
        ForwardingTable table = tagMap.table();
        SegmentCounters unassigned = counters.unassigned();
        if (length < Vxlan.HEADER_LENGTH) {
            receivedFromLocal(unassigned, length, DropReason.TRUNCATED);
            return;
        }
        if (!Vxlan.hasValidFlags(datagram, offset)) {
            receivedFromLocal(unassigned, length, DropReason.BAD_VXLAN_FLAGS);
            return;
        }
        SegmentState segment = table.segmentByVni(Vxlan.vni(datagram, offset));
        int frame = offset + Vxlan.HEADER_LENGTH;
        int frameLength = length - Vxlan.HEADER_LENGTH;
        if (segment == null) {
            receivedFromLocal(unassigned, frameLength, DropReason.UNKNOWN_SEGMENT);
            return;
        }
        SegmentCounters c = segment.counters;
        c.framesFromLocal.increment();
        c.bytesFromLocal.add(frameLength);
        if (frameLength > maxFrameLength) {
            c.drop(DropReason.OVERSIZE);
            return;
        }
        int depth = EthernetFrames.tagDepth(datagram, frame, frameLength, maxTenantTags);
        if (depth < 0) {
            c.drop(depth == EthernetFrames.TRUNCATED ? DropReason.TRUNCATED : DropReason.TAG_STACK_TOO_DEEP);
            return;
        }
        LocalVtep from = segment.vtepFor(sender);
        if (from == null) {
            c.drop(DropReason.UNKNOWN_SOURCE_VTEP);
            return;
        }
        long now = clock.getAsLong();
        long source = EthernetFrames.source(datagram, frame);
        long destination = EthernetFrames.destination(datagram, frame);
        if (learnable(source)) {
            segment.macs.learn(source, from, now);
        }
        if (!MacAddress.isGroup(destination)) {
            Object at = segment.macs.lookup(destination, now);
            if (at == from) {
                c.drop(DropReason.SAME_PORT);
                return;
            }
            if (at instanceof LocalVtep vtep) {
                toLocal(datagram, offset, length, vtep, c, out);
                return;
            }
            if (at instanceof PeerState peer) {
                toPeer(segment, peer, datagram, frame, frameLength, out);
                return;
            }
        }
        for (LocalVtep vtep : segment.vteps) {
            if (vtep != from) {
                toLocal(datagram, offset, length, vtep, c, out);
            }
        }
        for (PeerState peer : segment.peers) {
            toPeer(segment, peer, datagram, frame, frameLength, out);
        }
    }

    /** A tunnel datagram from a peer node. The caller keeps ownership of {@code datagram}. */
    void fromTunnel(ByteBuf datagram, InetSocketAddress sender, Egress out) {
        int offset = datagram.readerIndex();
        int length = datagram.readableBytes();
        ForwardingTable table = tagMap.table();
        SegmentCounters unassigned = counters.unassigned();
        if (length < TunnelHeader.OVERHEAD + MTDC_TAG_OCTETS + EthernetFrames.HEADER_LENGTH) {
            receivedFromTunnel(unassigned, length, length < TunnelHeader.LENGTH ? DropReason.BAD_TUNNEL_HEADER : DropReason.TRUNCATED);
            return;
        }
        if (length > maxTunnelDatagram) {
            receivedFromTunnel(unassigned, length, DropReason.OVERSIZE);
            return;
        }
        if (TunnelCipher.version(datagram, offset) != TunnelHeader.VERSION) {
            receivedFromTunnel(unassigned, length, DropReason.BAD_TUNNEL_HEADER);
            return;
        }
        PeerState peer = table.peerByDatacenterTag(TunnelCipher.senderTag(datagram, offset));
        if (peer == null) {
            receivedFromTunnel(unassigned, length, DropReason.UNKNOWN_PEER);
            return;
        }
        KeyRing.Slot key = peer.keys.receiving(TunnelCipher.keyId(datagram, offset));
        if (key == null) {
            receivedFromTunnel(unassigned, length, DropReason.NO_KEY);
            return;
        }
        long sequence = TunnelCipher.sequence(datagram, offset);
        ReplayWindow window = peer.keys.replayWindow();
        if (!window.mayAccept(sequence)) {
            receivedFromTunnel(unassigned, length, DropReason.REPLAYED);
            return;
        }
        if (out.cipher().open(datagram, offset, length, key) != TunnelCipher.OK) {
            receivedFromTunnel(unassigned, length, DropReason.AUTH_FAILED);
            return;
        }
        if (!window.accept(sequence)) {
            receivedFromTunnel(unassigned, length, DropReason.REPLAYED);
            return;
        }
        int tagged = offset + TunnelHeader.LENGTH;
        int taggedLength = length - TunnelHeader.OVERHEAD;
        int datacenterWord = EthernetFrames.tagWord(datagram, tagged, 0);
        int hostWord = EthernetFrames.tagWord(datagram, tagged, 1);
        int customerWord = EthernetFrames.tagWord(datagram, tagged, 2);
        if (Tag.tpidOf(datacenterWord) != Tag.TPID_8021AD || Tag.vidOf(datacenterWord) != localDatacenterTag
                || Tag.tpidOf(hostWord) != Tag.TPID_8021AD || Tag.tpidOf(customerWord) != Tag.TPID_8021Q) {
            receivedFromTunnel(unassigned, taggedLength, DropReason.BAD_MTDC_TAGS);
            return;
        }
        SegmentState segment = table.segmentByTags(Tag.vidOf(hostWord), Tag.vidOf(customerWord));
        int frameLength = taggedLength - MTDC_TAG_OCTETS;
        if (segment == null) {
            receivedFromTunnel(unassigned, frameLength, DropReason.UNKNOWN_SEGMENT);
            return;
        }
        SegmentCounters c = segment.counters;
        c.framesFromTunnel.increment();
        c.bytesFromTunnel.add(frameLength);
        if (!segment.spans(peer)) {
            c.drop(DropReason.SEGMENT_NOT_SPANNED);
            return;
        }
        if (frameLength > maxFrameLength) {
            c.drop(DropReason.OVERSIZE);
            return;
        }
        int frame = EthernetFrames.popTags(datagram, tagged, 3);
        int depth = EthernetFrames.tagDepth(datagram, frame, frameLength, maxTenantTags);
        if (depth < 0) {
            c.drop(depth == EthernetFrames.TRUNCATED ? DropReason.TRUNCATED : DropReason.TAG_STACK_TOO_DEEP);
            return;
        }
        long now = clock.getAsLong();
        long source = EthernetFrames.source(datagram, frame);
        long destination = EthernetFrames.destination(datagram, frame);
        if (learnable(source)) {
            segment.macs.learn(source, peer, now);
        }
        // The popped tags and the tunnel header left 24 octets in front of the frame; VXLAN needs 8 of them.
        int vxlan = frame - Vxlan.HEADER_LENGTH;
        Vxlan.writeHeader(datagram, vxlan, segment.segment.vni());
        int vxlanLength = frameLength + Vxlan.HEADER_LENGTH;
        if (!MacAddress.isGroup(destination)) {
            Object at = segment.macs.lookup(destination, now);
            if (at == peer) {
                c.drop(DropReason.SAME_PORT);
                return;
            }
            if (at instanceof LocalVtep vtep) {
                toLocal(datagram, vxlan, vxlanLength, vtep, c, out);
                return;
            }
            // Unknown here, or learned behind another peer: frames from a peer are only ever delivered
            // locally (split horizon), so it floods the local VTEPs.
        }
        for (LocalVtep vtep : segment.vteps) {
            toLocal(datagram, vxlan, vxlanLength, vtep, c, out);
        }
    }

    private void toLocal(ByteBuf datagram, int offset, int length, LocalVtep vtep, SegmentCounters c, Egress out) {
        if (out.toLocal(datagram.retainedSlice(offset, length), vtep.address)) {
            c.framesToLocal.increment();
            c.bytesToLocal.add(length - Vxlan.HEADER_LENGTH);
        } else {
            c.drop(DropReason.BACKPRESSURE);
        }
    }

    private void toPeer(SegmentState segment, PeerState peer, ByteBuf datagram, int frame, int frameLength, Egress out) {
        SegmentCounters c = segment.counters;
        KeyRing.Slot key = peer.keys.sending();
        if (key == null) {
            c.drop(DropReason.NO_KEY);
            return;
        }
        if (frameLength > maxTunneledFrame) {
            c.drop(DropReason.OVERSIZE);
            return;
        }
        int plaintext = MTDC_TAG_OCTETS + frameLength;
        int total = TunnelHeader.LENGTH + plaintext + TunnelHeader.AUTH_TAG_LENGTH;
        ByteBuf sealed = out.alloc().directBuffer(total);
        try {
            int at = TunnelHeader.LENGTH + MTDC_TAG_OCTETS;
            sealed.setBytes(at, datagram, frame, frameLength);
            at = EthernetFrames.pushTags(sealed, at, segment.hostTagWord, segment.customerTagWord);
            EthernetFrames.pushTag(sealed, at, peer.datacenterTagWord);
            out.cipher().seal(sealed, 0, plaintext, key, localDatacenterTag, peer.keys.nextSequence());
            sealed.writerIndex(total);
        } catch (RuntimeException e) {
            sealed.release();
            throw e;
        }
        if (out.toTunnel(sealed, peer.peer.tunnelAddress())) {
            c.framesToTunnel.increment();
            c.bytesToTunnel.add(frameLength);
        } else {
            c.drop(DropReason.BACKPRESSURE);
        }
    }

    private static boolean learnable(long mac) {
        return mac != 0 && !MacAddress.isGroup(mac);
    }

    private static void receivedFromLocal(SegmentCounters c, int length, DropReason reason) {
        c.framesFromLocal.increment();
        c.bytesFromLocal.add(length);
        c.drop(reason);
    }

    private static void receivedFromTunnel(SegmentCounters c, int length, DropReason reason) {
        c.framesFromTunnel.increment();
        c.bytesFromTunnel.add(length);
        c.drop(reason);
    }
}

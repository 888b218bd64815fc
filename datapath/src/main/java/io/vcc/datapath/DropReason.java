package io.vcc.datapath;

/** Why the datapath dropped a frame. Every drop is counted under exactly one of these. */
public enum DropReason {
    /** The datagram or frame ends before a header, tag or EtherType it needs. */
    TRUNCATED,
    /** More VLAN tags than {@link DatapathConfig#maxTenantTags()} allows (after the node's own tags). */
    TAG_STACK_TOO_DEEP,
    /** A VXLAN header whose flags are not exactly the I flag. */
    BAD_VXLAN_FLAGS,
    /** Larger than {@link DatapathConfig#maxFrameLength()}, or than the tunnel MTU once tagged and sealed. */
    OVERSIZE,
    /** A VNI, or a (host tag, customer tag) pair, that the tag map does not hold. */
    UNKNOWN_SEGMENT,
    /** VXLAN from an address that is not one of the segment's local VTEPs. */
    UNKNOWN_SOURCE_VTEP,
    /** A tunnel datagram with another version, or too short to hold a header and tag. */
    BAD_TUNNEL_HEADER,
    /** A tunnel datagram from a datacenter tag that no peer has. */
    UNKNOWN_PEER,
    /** No key with the datagram's key id (receiving), or no key installed for the peer (sending). */
    NO_KEY,
    /** The AES-GCM tag did not verify: a wrong key, a forgery or corruption. */
    AUTH_FAILED,
    /** A sequence number seen before, or older than the replay window. */
    REPLAYED,
    /** A tunnel frame whose outer tags are not datacenter, host and customer tag, or not for this datacenter. */
    BAD_MTDC_TAGS,
    /** A peer sent a frame for a segment that the tag map does not span to that peer. */
    SEGMENT_NOT_SPANNED,
    /** The destination was learned behind the port the frame came in on, so there is nowhere to send it. */
    SAME_PORT,
    /** The socket's send queue was full; the datapath never queues without bound. */
    BACKPRESSURE,
    /** The operating system refused to send the datagram. */
    SEND_FAILED,
    /** A bug: an unexpected exception on the forwarding path, caught so that the pipeline lives on. */
    INTERNAL_ERROR
}

package io.vcc.datapath.tunnel;

/**
 * The clear header in front of every tunnel datagram, authenticated as GCM associated data:
 *
 * <pre>
 *  0      1      2             4                            12
 *  +------+------+-------------+----------------------------+------------------------+--------+
 *  | ver  | key  | sender's    | sequence number (64 bits)  | ciphertext of the      | GCM    |
 *  | = 1  | id   | DC tag      |                            | MTDC-tagged frame      | tag 16 |
 *  +------+------+-------------+----------------------------+------------------------+--------+
 * </pre>
 *
 * The sender's datacenter tag says which node pair's key opens the datagram; the sequence number feeds
 * the receiver's replay window and, with the sender's tag, makes the GCM nonce unique per key (both
 * directions of a pair share the key but never a tag).
 */
public final class TunnelHeader {

    public static final int VERSION = 1;
    public static final int LENGTH = 12;
    public static final int AUTH_TAG_LENGTH = 16;
    /** Octets a tunnel datagram adds to the frame it carries (the MTDC tags not included). */
    public static final int OVERHEAD = LENGTH + AUTH_TAG_LENGTH;

    static final int KEY_ID = 1;
    static final int SENDER_TAG = 2;
    static final int SEQUENCE = 4;

    private TunnelHeader() {
    }
}

package io.vcc.datapath.tunnel;

import java.util.Arrays;

/**
 * A secret shared by one pair of nodes, as the server issues it: an id that travels in every tunnel
 * datagram (so both ends can hold two keys during a rotation) and 16 or 32 octets of AES key.
 */
public record TunnelKey(int id, byte[] secret) {

    public TunnelKey {
        if (id < 0 || id > 255) {
            throw new IllegalArgumentException("a key id is one octet (0..255), was " + id);
        }
        if (secret == null || (secret.length != 16 && secret.length != 32)) {
            throw new IllegalArgumentException("an AES-GCM key has 16 or 32 octets");
        }
        secret = secret.clone();
    }

    @Override
    public byte[] secret() {
        return secret.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TunnelKey that && id == that.id && Arrays.equals(secret, that.secret);
    }

    @Override
    public int hashCode() {
        return 31 * id + Arrays.hashCode(secret);
    }

    /** Never prints the secret: keys must not reach a log. */
    @Override
    public String toString() {
        return "TunnelKey[id=" + id + ", secret=(" + secret.length + " octets)]";
    }
}

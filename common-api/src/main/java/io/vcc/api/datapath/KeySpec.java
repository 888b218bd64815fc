package io.vcc.api.datapath;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

/**
 * A tunnel key of one node pair, issued by the server: an id (one octet; it travels in every tunnel
 * datagram so that both ends can hold two keys during a rotation) and 16 or 32 octets of AES key, base64.
 *
 * @param use {@code STAGED} accepts the key without sending with it; {@code ACTIVE} sends with it
 */
public record KeySpec(@Min(0) @Max(255) int id, @NotBlank String secret, Use use) {

    public enum Use { STAGED, ACTIVE }

    public KeySpec {
        if (use == null) {
            use = Use.ACTIVE;
        }
    }

    /** Never prints the secret: keys must not reach a log. */
    @Override
    public String toString() {
        return "KeySpec[id=" + id + ", secret=***, use=" + use + "]";
    }
}

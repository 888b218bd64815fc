package io.vcc.api.datapath;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

/**
 * A peer node as this node tunnels to it.
 *
 * @param tunnelAddress {@code host:port} where the peer's tunnel listens, as the peer reports it
 * @param key           the pair's key to send with from now on (the previous one stays accepted), or
 *                      {@code null} to leave the keys as they are
 */
public record PeerSpec(@Min(1) @Max(4094) int datacenterTag, @NotBlank String tunnelAddress, @Valid KeySpec key) {
}

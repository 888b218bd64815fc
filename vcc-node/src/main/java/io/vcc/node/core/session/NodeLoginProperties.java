package io.vcc.node.core.session;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Limits on logins to the node ({@code vcc.node.logins.*}): each costs a bcrypt hash, and only the server
 * should be logging in. Counted per client address only: a per-user limit would let anyone lock the
 * server out, as the node has just one user.
 *
 * @param maxFailuresPerAddress wrong secrets from one address, each within {@code window} of the last, after
 *                              which that address is refused (429) until {@code window} after its last failure
 * @param window                how long failures are remembered
 */
@ConfigurationProperties("vcc.node.logins")
public record NodeLoginProperties(@DefaultValue("10") int maxFailuresPerAddress, @DefaultValue("5m") Duration window) {

    public NodeLoginProperties {
        if (maxFailuresPerAddress < 1 || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("vcc.node.logins: max-failures-per-address and window must be positive");
        }
    }
}

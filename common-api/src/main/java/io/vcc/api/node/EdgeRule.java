package io.vcc.api.node;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * A rule of the edge gateway in front of a routed network: a NAT (destination or source translation) or a
 * firewall rule. The simulated cloud keeps them as data; what matters for a stretch deploy is that the target's
 * routed network gets the same rules as the source's.
 *
 * @param match  what the rule applies to, e.g. {@code tcp 203.0.113.5:443} or {@code any}
 * @param action what it does, e.g. {@code dnat 192.168.10.12:443} or {@code allow}
 */
public record EdgeRule(@NotNull Kind kind, @NotBlank @Size(max = 200) String match, @NotBlank @Size(max = 200) String action) {

    public enum Kind { DNAT, SNAT, FIREWALL }
}

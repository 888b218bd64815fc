package io.vcc.api.node;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * Where a VM's NIC goes: onto {@code network} of the VM's VDC with this MAC and IP address (a VM that moved to
 * another cloud keeps both). Refused ({@code duplicate}) when another NIC of the cloud has the MAC or another NIC
 * of the network the address.
 */
public record NicPlacement(
        @NotBlank @Size(max = 63) String network,
        @NotBlank @Pattern(regexp = "[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}", message = "a MAC address") String mac,
        @NotBlank @Pattern(regexp = "([0-9]{1,3}\\.){3}[0-9]{1,3}", message = "an IPv4 address") String ip) {
}

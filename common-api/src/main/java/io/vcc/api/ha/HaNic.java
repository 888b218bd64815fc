package io.vcc.api.ha;

/**
 * A customer VM's NIC: its MAC and IP, and the tenant's layer-2 segment with its tag, which keep tenants with
 * overlapping VLANs and IP ranges apart wherever the VM runs.
 */
public record HaNic(String mac, String ip, String segment, int tag) {
}

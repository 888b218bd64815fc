package io.vcc.node.adapter.libvirt;

import java.security.SecureRandom;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * MAC addresses for NICs: fresh ones under 52:54:00 (the locally administered prefix libvirt and QEMU use),
 * and whether an imported one can be kept.
 */
final class LibvirtMacs {

    private static final Pattern MAC = Pattern.compile("[0-9a-f]{2}(:[0-9a-f]{2}){5}");

    private final SecureRandom random = new SecureRandom();

    /** One that no NIC in {@code taken} has. */
    String free(Set<String> taken) {
        while (true) {
            String mac = String.format("52:54:00:%02x:%02x:%02x", random.nextInt(256), random.nextInt(256), random.nextInt(256));
            if (!taken.contains(mac)) {
                return mac;
            }
        }
    }

    /** {@code mac} in the form libvirt keeps, or null when it is not a unicast MAC (libvirt refuses multicast ones). */
    static String normalized(String mac) {
        if (mac == null) {
            return null;
        }
        String lower = mac.strip().toLowerCase(Locale.ROOT).replace('-', ':');
        if (!MAC.matcher(lower).matches() || (Integer.parseInt(lower.substring(0, 2), 16) & 1) != 0) {
            return null;
        }
        return lower;
    }
}

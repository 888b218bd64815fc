package io.vcc.ovf;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An ethernet adapter of a virtual machine.
 *
 * @param network     the {@link OvfNetwork#name()} it connects to, or {@code null} when unconnected
 * @param macAddress  lower-case, colon-separated MAC ({@code 00:50:56:aa:bb:cc}), or {@code null} to let the
 *                    target assign one; dashes, upper case and bare 12-digit forms are normalised
 * @param adapterType {@code ResourceSubType} as written by the source (e.g. {@code VmxNet3}, {@code E1000}),
 *                    or {@code null}
 */
public record NetworkAdapter(String network, String macAddress, String adapterType) {

    private static final Pattern MAC = Pattern.compile("(?:[0-9a-f]{2}:){5}[0-9a-f]{2}");

    public NetworkAdapter {
        if (network != null && network.isBlank()) {
            network = null;
        }
        if (adapterType != null && adapterType.isBlank()) {
            adapterType = null;
        }
        macAddress = normalizeMac(macAddress);
    }

    static String normalizeMac(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        String mac = raw.trim().toLowerCase(Locale.ROOT).replace('-', ':');
        if (mac.length() == 12 && mac.indexOf(':') < 0) {
            StringBuilder withColons = new StringBuilder(17);
            for (int i = 0; i < 12; i += 2) {
                if (i > 0) {
                    withColons.append(':');
                }
                withColons.append(mac, i, i + 2);
            }
            mac = withColons.toString();
        }
        if (!MAC.matcher(mac).matches()) {
            throw new IllegalArgumentException("not a MAC address: '" + raw + "'");
        }
        return mac;
    }
}

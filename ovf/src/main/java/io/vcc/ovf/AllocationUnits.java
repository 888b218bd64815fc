package io.vcc.ovf;

import io.vcc.ovf.OvfException.Reason;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Byte multipliers of OVF allocation units: DMTF programmatic units ({@code byte}, {@code byte * 2^20},
 * {@code byte*10^9}, {@code byte * 1024}) and the legacy names older tools write ({@code MegaBytes} from
 * VirtualBox, {@code GigaBytes}, ...). Legacy names are binary, as every tool that writes them means.
 */
public final class AllocationUnits {

    private static final Map<String, Long> LEGACY = Map.ofEntries(
            Map.entry("byte", 1L), Map.entry("bytes", 1L),
            Map.entry("kilobytes", 1L << 10), Map.entry("kb", 1L << 10), Map.entry("kib", 1L << 10),
            Map.entry("megabytes", 1L << 20), Map.entry("mb", 1L << 20), Map.entry("mib", 1L << 20),
            Map.entry("gigabytes", 1L << 30), Map.entry("gb", 1L << 30), Map.entry("gib", 1L << 30),
            Map.entry("terabytes", 1L << 40), Map.entry("tb", 1L << 40), Map.entry("tib", 1L << 40));

    private static final Pattern FACTOR = Pattern.compile("\\*(\\d{1,10})(?:\\^(\\d{1,3}))?");

    private AllocationUnits() {
    }

    /** Bytes per unit; {@code null} or blank means bytes. */
    public static long multiplier(String units) {
        if (units == null || units.isBlank()) {
            return 1;
        }
        String compact = units.replaceAll("\\s+", "").toLowerCase(Locale.ROOT);
        Long legacy = LEGACY.get(compact);
        if (legacy != null) {
            return legacy;
        }
        String rest;
        if (compact.startsWith("bytes")) {
            rest = compact.substring(5);
        } else if (compact.startsWith("byte")) {
            rest = compact.substring(4);
        } else {
            throw unsupported(units);
        }
        long multiplier = 1;
        Matcher factor = FACTOR.matcher(rest);
        int at = 0;
        while (at < rest.length()) {
            if (!factor.find(at) || factor.start() != at) {
                throw unsupported(units);
            }
            long base = Long.parseLong(factor.group(1));
            int exponent = factor.group(2) == null ? 1 : Integer.parseInt(factor.group(2));
            multiplier = times(multiplier, power(base, exponent, units), units);
            at = factor.end();
        }
        return multiplier;
    }

    /** {@code quantity} units in bytes. */
    public static long toBytes(long quantity, String units) {
        if (quantity < 0) {
            throw new OvfException(Reason.MALFORMED_DESCRIPTOR, "negative quantity " + quantity);
        }
        return times(quantity, multiplier(units), units);
    }

    /** The units a writer states for {@code bytes}: the largest of GiB, MiB, bytes that divides it exactly. */
    static String unitsFor(long bytes) {
        if (bytes % (1L << 30) == 0) {
            return "byte * 2^30";
        }
        return bytes % (1L << 20) == 0 ? "byte * 2^20" : "byte";
    }

    static long quantityIn(long bytes, String units) {
        return bytes / multiplier(units);
    }

    private static long power(long base, int exponent, String units) {
        long result = 1;
        for (int i = 0; i < exponent; i++) {
            result = times(result, base, units);
        }
        return result;
    }

    private static long times(long a, long b, String units) {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException overflow) {
            throw new OvfException(Reason.TOO_LARGE, "quantity in '" + units + "' does not fit in 64 bits");
        }
    }

    private static OvfException unsupported(String units) {
        return new OvfException(Reason.UNSUPPORTED,
                "allocation units '" + PackagePaths.printable(units) + "' are not a byte multiple");
    }
}

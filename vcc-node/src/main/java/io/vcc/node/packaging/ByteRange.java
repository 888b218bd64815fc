package io.vcc.node.packaging;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One HTTP byte range (RFC 9110, 14.1.2) of a representation of known length, inclusive at both ends.
 * Only a single range is served; a header asking for several, or one we cannot read, is ignored (the whole
 * representation is sent), which the RFC allows.
 */
public record ByteRange(long first, long last) {

    private static final Pattern SINGLE = Pattern.compile("bytes=(\\d{0,19})-(\\d{0,19})");

    public long length() {
        return last - first + 1;
    }

    public String contentRange(long total) {
        return "bytes " + first + "-" + last + "/" + total;
    }

    /** How a {@code Range} header applies to a representation of {@code total} bytes. */
    public sealed interface Outcome permits Whole, Partial, Unsatisfiable {
    }

    public record Whole() implements Outcome {
    }

    public record Partial(ByteRange range) implements Outcome {
    }

    public record Unsatisfiable() implements Outcome {
    }

    public static Outcome of(String header, long total) {
        if (header == null) {
            return new Whole();
        }
        Matcher matcher = SINGLE.matcher(header.strip());
        if (!matcher.matches() || (matcher.group(1).isEmpty() && matcher.group(2).isEmpty())) {
            return new Whole();
        }
        Optional<Long> first = number(matcher.group(1));
        Optional<Long> last = number(matcher.group(2));
        if (first.isEmpty()) {
            long suffix = last.orElseThrow();
            if (suffix == 0 || total == 0) {
                return new Unsatisfiable();
            }
            return new Partial(new ByteRange(Math.max(0, total - suffix), total - 1));
        }
        if (last.isPresent() && last.get() < first.get()) {
            return new Whole();
        }
        if (first.get() >= total) {
            return new Unsatisfiable();
        }
        return new Partial(new ByteRange(first.get(), Math.min(total - 1, last.orElse(total - 1))));
    }

    private static Optional<Long> number(String digits) {
        if (digits.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(digits));
        } catch (NumberFormatException e) {
            return Optional.of(Long.MAX_VALUE);
        }
    }
}

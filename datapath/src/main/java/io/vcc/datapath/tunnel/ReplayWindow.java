package io.vcc.datapath.tunnel;

/**
 * A sliding anti-replay window over 64-bit sequence numbers (as in RFC 4303 section 3.4.3 and RFC 6479):
 * the highest number seen and a bitmap of the {@value #SIZE} numbers below it. A number is accepted once;
 * numbers below the window are refused. Only numbers that passed authentication are recorded, so a
 * forger cannot move the window.
 */
public final class ReplayWindow {

    public static final int SIZE = 4096;
    private static final int WORDS = SIZE / 64;

    private final long[] bitmap = new long[WORDS];
    private long highest = -1;

    /** A cheap pre-check before decrypting: false when {@code sequence} is certainly a replay. */
    public synchronized boolean mayAccept(long sequence) {
        if (sequence < 0) {
            return false;
        }
        if (highest < 0 || sequence > highest) {
            return true;
        }
        if (highest - sequence >= SIZE) {
            return false;
        }
        return (bitmap[wordOf(sequence)] & bitOf(sequence)) == 0;
    }

    /** Records an authenticated {@code sequence}; false when it was already seen or is too old. */
    public synchronized boolean accept(long sequence) {
        if (sequence < 0) {
            return false;
        }
        if (highest < 0 || sequence > highest) {
            long advance = highest < 0 ? SIZE : sequence - highest;
            if (advance >= SIZE) {
                java.util.Arrays.fill(bitmap, 0L);
            } else {
                for (long s = highest + 1; s < sequence; s++) {
                    bitmap[wordOf(s)] &= ~bitOf(s);
                }
            }
            highest = sequence;
            bitmap[wordOf(sequence)] |= bitOf(sequence);
            return true;
        }
        if (highest - sequence >= SIZE) {
            return false;
        }
        int word = wordOf(sequence);
        long bit = bitOf(sequence);
        if ((bitmap[word] & bit) != 0) {
            return false;
        }
        bitmap[word] |= bit;
        return true;
    }

    private static int wordOf(long sequence) {
        return (int) ((sequence >>> 6) & (WORDS - 1));
    }

    private static long bitOf(long sequence) {
        return 1L << (sequence & 63);
    }
}

package io.vcc.e2e.bench;

import java.nio.file.Path;
import java.util.Locale;

/**
 * What {@code bench/transfer/run} was asked for: the disk's size, the chunk size the server hands out
 * (what one checkpoint covers), how many measured runs (each a vcc transfer, then the peer), push or pull, whether to measure a resume and the peer, TLS on
 * every hop (the default; {@code --plain} for plain HTTP on both sides), and where files go.
 */
record BenchOptions(long sizeBytes, long chunkBytes, int runs, boolean pull, boolean resume, boolean peer, boolean tls, Path dir) {

    static BenchOptions parse(String[] args) {
        long size = bytes("2G");
        long chunk = bytes("8M");
        int runs = 5;
        boolean pull = false;
        boolean resume = true;
        boolean peer = true;
        boolean tls = true;
        Path dir = Path.of(System.getProperty("java.io.tmpdir"));
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--size" -> size = bytes(args[++i]);
                case "--chunk" -> chunk = bytes(args[++i]);
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--pull" -> pull = true;
                case "--no-resume" -> resume = false;
                case "--no-peer" -> peer = false;
                case "--plain" -> tls = false;
                case "--dir" -> dir = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("Unknown option " + args[i]
                        + "; options: --size 2G --chunk 8M --runs 5 --pull --no-resume --no-peer --plain --dir DIR");
            }
        }
        if (size < 1 || chunk < 1 || chunk > Integer.MAX_VALUE || runs < 1) {
            throw new IllegalArgumentException("--size, --chunk and --runs must be positive (chunk below 2 GiB)");
        }
        return new BenchOptions(size, chunk, runs, pull, resume, peer, tls, dir);
    }

    /** "2G", "512M", "64K" (binary multiples) or plain bytes. */
    static long bytes(String text) {
        String t = text.trim().toUpperCase(Locale.ROOT).replaceAll("I?B$", "");
        long unit = switch (t.isEmpty() ? ' ' : t.charAt(t.length() - 1)) {
            case 'K' -> 1L << 10;
            case 'M' -> 1L << 20;
            case 'G' -> 1L << 30;
            default -> 1;
        };
        String number = unit == 1 ? t : t.substring(0, t.length() - 1);
        return Long.parseLong(number) * unit;
    }
}

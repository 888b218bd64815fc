package io.vcc.e2e.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time from /proc: this JVM's (the server, both nodes and their embedded databases' clients; the
 * PostgreSQL processes are children and not counted) and the whole machine's busy time, so a run can say
 * how many cores a phase kept busy.
 */
final class CpuMeter {

    record Sample(long nanos, double processSeconds, double machineBusySeconds) {
    }

    record Usage(double seconds, double processCores, double machineCores) {
    }

    private static final double TICK = 100.0;

    private CpuMeter() {
    }

    static Sample sample() {
        try {
            String[] self = Files.readString(Path.of("/proc/self/stat")).replaceFirst("^.*\\) ", "").split(" ");
            // fields after the command: state is index 0, so utime is 11 and stime 12
            double process = (Long.parseLong(self[11]) + Long.parseLong(self[12])) / TICK;
            String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            for (int i = 1; i < cpu.length && i <= 8; i++) {
                if (i != 4 && i != 5) { // idle and iowait
                    busy += Long.parseLong(cpu[i]);
                }
            }
            return new Sample(System.nanoTime(), process, busy / TICK);
        } catch (IOException | RuntimeException e) {
            return new Sample(System.nanoTime(), Double.NaN, Double.NaN);
        }
    }

    static Usage between(Sample from, Sample to) {
        double seconds = (to.nanos() - from.nanos()) / 1e9;
        return new Usage(seconds, (to.processSeconds() - from.processSeconds()) / seconds,
                (to.machineBusySeconds() - from.machineBusySeconds()) / seconds);
    }
}

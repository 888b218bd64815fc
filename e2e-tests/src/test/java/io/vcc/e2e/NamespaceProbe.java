package io.vcc.e2e;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A simulated VM's network stack seen from inside its namespace, with the JDK alone (as the datapath's
 * {@code VmProbe}, whose module e2e-tests does not see): a JVM in the namespace sends ICMP echo
 * ({@link InetAddress#isReachable} as root) to an address per line it reads, waiting {@code waitMillis} for one
 * answer, and writes the round trip in microseconds, or -1.
 */
public final class NamespaceProbe implements AutoCloseable {

    private final Process process;
    private final BufferedWriter commands;
    private final BufferedReader answers;

    private NamespaceProbe(Process process) {
        this.process = process;
        this.commands = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.US_ASCII));
        this.answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII));
    }

    public static NamespaceProbe start(String namespace) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process process = new ProcessBuilder("ip", "netns", "exec", namespace, java, "-Xshare:auto", "-XX:TieredStopAtLevel=1",
                "-cp", classpath(), NamespaceProbe.class.getName())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        NamespaceProbe probe = new NamespaceProbe(process);
        String ready = probe.answers.readLine();
        if (!"ready".equals(ready)) {
            probe.close();
            throw new IllegalStateException("probe in " + namespace + " did not start: " + ready);
        }
        return probe;
    }

    /** Round trip in microseconds of one echo waited for {@code waitMillis}, or -1 without answer. */
    public long echo(String address, int waitMillis) {
        try {
            commands.write(address + " " + waitMillis);
            commands.newLine();
            commands.flush();
            String answer = answers.readLine();
            if (answer == null) {
                throw new IllegalStateException("probe ended");
            }
            return Long.parseLong(answer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether one of three echoes of up to 2 s each is answered. */
    public boolean reaches(String address) {
        for (int i = 0; i < 3; i++) {
            if (echo(address, 2_000) >= 0) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String classpath() {
        try {
            return Path.of(NamespaceProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void main(String[] args) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        System.out.println("ready");
        System.out.flush();
        String line;
        while ((line = in.readLine()) != null) {
            String[] parts = line.trim().split(" ");
            InetAddress target = InetAddress.getByName(parts[0]);
            long start = System.nanoTime();
            boolean answered = target.isReachable(Integer.parseInt(parts[1]));
            System.out.println(answered ? Long.toString((System.nanoTime() - start) / 1_000) : "-1");
            System.out.flush();
        }
    }
}

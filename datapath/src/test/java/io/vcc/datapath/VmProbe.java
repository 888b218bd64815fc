package io.vcc.datapath;

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
 * A VM's network stack seen from inside its namespace, with nothing but the JDK (a fresh machine has no
 * {@code ping}): a JVM started in the namespace probes other addresses with ICMP echo, as ping does
 * ({@link InetAddress#isReachable} sends ICMP when it runs as root, which this test needs anyway). ICMP, not
 * UDP or TCP: the VMs' veths leave transport checksums to an offload that a userspace datapath never performs,
 * so a UDP or TCP segment would arrive with a bad checksum, while ICMP is checksummed in software.
 *
 * <p>The test side ({@link #start}) talks to the agent over its stdin and stdout, one line per echo. The e2e tests
 * use it too (this module's test-jar), to probe the VMs of a stretched network.
 */
public final class VmProbe implements AutoCloseable {

    private static final int TRIES = 3;
    private static final int WAIT_MILLIS = 2_000;

    private final String namespace;
    private final Process process;
    private final BufferedWriter commands;
    private final BufferedReader answers;

    private VmProbe(String namespace, Process process) {
        this.namespace = namespace;
        this.process = process;
        this.commands = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.US_ASCII));
        this.answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII));
    }

    /** Starts the agent inside {@code namespace} and waits until it is ready. */
    public static VmProbe start(String namespace) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process process = new ProcessBuilder("ip", "netns", "exec", namespace, java, "-Xshare:auto", "-XX:TieredStopAtLevel=1",
                "-cp", classpath(), VmProbe.class.getName())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        VmProbe probe = new VmProbe(namespace, process);
        String ready = probe.answers.readLine();
        if (!"ready".equals(ready)) {
            probe.close();
            throw new IllegalStateException("probe in " + namespace + " did not start: " + ready);
        }
        return probe;
    }

    /** Whether an echo to {@code address} came back within {@value #TRIES} tries of {@value #WAIT_MILLIS} ms. */
    public boolean reaches(String address) {
        for (int attempt = 0; attempt < TRIES; attempt++) {
            if (echo(address, WAIT_MILLIS) >= 0) {
                return true;
            }
        }
        return false;
    }

    /** The round trip in microseconds of one echo to {@code address} waited for up to {@code waitMillis}, or -1. */
    public long echo(String address, int waitMillis) {
        try {
            commands.write(address + " " + waitMillis);
            commands.newLine();
            commands.flush();
            String answer = answers.readLine();
            if (answer == null) {
                throw new IllegalStateException("probe in " + namespace + " ended");
            }
            return Long.parseLong(answer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
            return Path.of(VmProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The agent: one echo per line "address waitMillis" read from stdin; ends when stdin closes. */
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

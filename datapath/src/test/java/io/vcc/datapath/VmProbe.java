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
 * <p>The test side ({@link #start}) talks to the agent over its stdin and stdout, one line per probe.
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

    /** Whether an echo from {@code address} came back within {@value #TRIES} tries of {@value #WAIT_MILLIS} ms. */
    public boolean reaches(String address) {
        try {
            commands.write(address);
            commands.newLine();
            commands.flush();
            String answer = answers.readLine();
            if (answer == null) {
                throw new IllegalStateException("probe in " + namespace + " ended");
            }
            return answer.equals("reached");
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

    /** The agent: one probe per address read from stdin; ends when stdin closes. */
    public static void main(String[] args) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        System.out.println("ready");
        System.out.flush();
        String address;
        while ((address = in.readLine()) != null) {
            System.out.println(probe(InetAddress.getByName(address.trim())) ? "reached" : "unreached");
            System.out.flush();
        }
    }

    private static boolean probe(InetAddress target) throws IOException {
        for (int attempt = 0; attempt < TRIES; attempt++) {
            if (target.isReachable(WAIT_MILLIS)) {
                return true;
            }
        }
        return false;
    }
}

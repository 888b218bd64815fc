package io.vcc.node.adapter.host;

import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Commands on the host's network stack (iproute2, root) as the adapters that put VM NICs on tenant segments run
 * them: the sim's namespace VMs and libvirt's segment bridges.
 */
public final class HostCommands {

    private HostCommands() {
    }

    /**
     * Runs {@code command} and answers its output. A failure (exit status, timeout) is an {@code internal} problem
     * naming the command, unless {@code quiet}: then it answers what was said, or nothing (undo steps that may find
     * nothing to undo).
     */
    public static String run(boolean quiet, String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("timed out");
            }
            if (process.exitValue() != 0 && !quiet) {
                throw new VccProblemException(ProblemType.INTERNAL, String.join(" ", command) + " failed: " + output.strip());
            }
            return output;
        } catch (IOException e) {
            if (quiet) {
                return "";
            }
            throw new VccProblemException(ProblemType.INTERNAL, String.join(" ", command) + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VccProblemException(ProblemType.INTERNAL, "interrupted: " + String.join(" ", command));
        }
    }

    /**
     * Whether {@code ip} answers on the segment behind {@code bridge}: a throwaway namespace {@code probe} on the
     * bridge (through the veth {@code port}), with the network's gateway address (no VM has it), connects by TCP to
     * port 9; a VM's kernel answers with a refusal or an accept, a missing VM with silence (no ARP reply). Neither
     * ICMP nor a listener in the VM is needed.
     *
     * @param bridgeNamespace the namespace the bridge is in, or null for the host's own
     */
    public static boolean answersOnBridge(String bridgeNamespace, String bridge, String probe, String port, String gateway, String ip) {
        run(true, "ip", "netns", "del", probe);
        try {
            run(false, "ip", "netns", "add", probe);
            run(false, ipIn(bridgeNamespace, "link", "add", port, "type", "veth", "peer", "name", "probe", "netns", probe));
            run(false, ipIn(bridgeNamespace, "link", "set", port, "master", bridge, "up"));
            run(false, "ip", "-n", probe, "addr", "add", gateway + "/24", "dev", "probe");
            run(false, "ip", "-n", probe, "link", "set", "probe", "up");
            String said = run(true, "ip", "netns", "exec", probe, "timeout", "1.5", "bash", "-c",
                    "exec 3<>/dev/tcp/" + ip + "/9 && echo connected");
            return said.contains("connected") || said.contains("Connection refused");
        } finally {
            run(true, "ip", "netns", "del", probe);
            run(true, ipIn(bridgeNamespace, "link", "del", port));
        }
    }

    /** An {@code ip} command in {@code namespace}, or in the host's own when it is null. */
    public static String[] ipIn(String namespace, String... args) {
        List<String> command = new ArrayList<>(List.of("ip"));
        if (namespace != null) {
            command.addAll(List.of("-n", namespace));
        }
        command.addAll(List.of(args));
        return command.toArray(String[]::new);
    }
}

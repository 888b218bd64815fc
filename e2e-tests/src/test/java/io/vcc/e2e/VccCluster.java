package io.vcc.e2e;

import io.vcc.node.VccNodeApplication;
import io.vcc.server.VccServerApplication;
import io.vcc.sp.SpNodeApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts vcc's services the way an installation does, each in its own application context, on its own
 * port, with its own embedded PostgreSQL under its own home directory, talking real HTTP.
 */
public final class VccCluster implements AutoCloseable {

    public static final String ADMIN_PASSWORD = "e2e-admin-password-1";
    static final String PROVIDER_PASSWORD = "e2e-provider-password";

    private final Path root;
    private final boolean durableDatabases;
    private final List<ConfigurableApplicationContext> running = new ArrayList<>();

    VccCluster(Path root) {
        this(root, false);
    }

    /**
     * With {@code durableDatabases} the embedded PostgreSQL fsyncs its WAL as an installation does (a
     * benchmark of durable checkpoints needs it); tests turn it off for speed.
     */
    public VccCluster(Path root, boolean durableDatabases) {
        this.root = root;
        this.durableDatabases = durableDatabases;
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    ConfigurableApplicationContext server(int port) {
        return server(port, new String[0]);
    }

    /** The server with extra settings (e.g. transfer tuning for a test). */
    public ConfigurableApplicationContext server(int port, String... extra) {
        return start(VccServerApplication.application(), "server", port, serverArgs(extra));
    }

    /** The server in a process of its own, which a test can kill. */
    ServiceProcess serverProcess(int port, String... extra) {
        return ServiceProcess.start(VccServerApplication.class, root.resolve("server.log"), withCommon("server", port, serverArgs(extra)));
    }

    /**
     * A server replica in a process of its own, with its files under {@code home}; the database, secret key and admin
     * password come from {@code extra} (with none, the admin password is generated on an empty database).
     */
    ServiceProcess serverReplicaProcess(String home, int port, String... extra) {
        List<String> args = new ArrayList<>(List.of("--vcc.nodes.status-interval=1s", "--vcc.nodes.probe-timeout=1s"));
        args.addAll(List.of(extra));
        return ServiceProcess.start(VccServerApplication.class, root.resolve(home + ".log"), withCommon(home, port, args.toArray(String[]::new)));
    }

    private static String[] serverArgs(String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "--vcc.admin.password=" + ADMIN_PASSWORD,
                "--vcc.nodes.status-interval=1s",
                "--vcc.nodes.probe-timeout=1s"));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    /**
     * A VCC node that registers {@code baseUrl} as its address (e.g. a proxy in front of {@code port}),
     * with extra settings; with {@code token} null it must already be registered (a restart).
     */
    public ConfigurableApplicationContext vccNode(String name, int port, String baseUrl, String serverUrl, String token,
                                                  String visibility, String... extra) {
        return start(VccNodeApplication.application(), name, port, vccNodeArgs(name, baseUrl, serverUrl, token, visibility, extra));
    }

    /** A VCC node in a process of its own, which a test can kill; it registers {@code baseUrl} as its address. */
    ServiceProcess vccNodeProcess(String name, int port, String baseUrl, String serverUrl, String token, String visibility,
                                  String... extra) {
        return ServiceProcess.start(VccNodeApplication.class, root.resolve(name + ".log"), withCommon(name, port,
                vccNodeArgs(name, baseUrl, serverUrl, token, visibility, extra)));
    }

    private static String[] vccNodeArgs(String name, String baseUrl, String serverUrl, String token, String visibility,
                                        String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "--vcc.node.name=" + name,
                "--vcc.node.kind=VCC",
                "--vcc.node.visibility=" + visibility,
                "--vcc.node.base-url=" + baseUrl,
                "--vcc.node.server-url=" + serverUrl,
                "--vcc.node.cloud.name=" + name,
                "--vcc.node.cloud.type=VDC_MANAGER",
                "--vcc.node.registration-retry=500ms"));
        // A second value of a setting on the command line would be joined to the first, not replace it.
        if (Arrays.stream(extra).noneMatch(arg -> arg.startsWith("--vcc.sim.operation-delay="))) {
            args.add("--vcc.sim.operation-delay=20ms");
        }
        if (token != null) {
            args.add("--vcc.node.registration-token=" + token);
        }
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    /** Where a service started under {@code home} keeps its files. */
    public Path home(String home, String service) {
        return root.resolve(home).resolve(service);
    }

    /** A VCC node; with {@code token} null it must already be registered (a restart). */
    ConfigurableApplicationContext vccNode(String name, int port, String serverUrl, String token, String kind,
                                           String visibility, String cloudType, boolean multiTenant) {
        List<String> args = new ArrayList<>(List.of(
                "--vcc.node.name=" + name,
                "--vcc.node.kind=" + kind,
                "--vcc.node.visibility=" + visibility,
                "--vcc.node.base-url=http://localhost:" + port,
                "--vcc.node.server-url=" + serverUrl,
                "--vcc.node.cloud.name=" + name,
                "--vcc.node.cloud.type=" + cloudType,
                "--vcc.node.cloud.multi-tenant=" + multiTenant,
                "--vcc.node.cloud.url=http://localhost:" + port + "/sim/v1",
                "--vcc.node.registration-retry=500ms",
                "--vcc.sim.api-password=" + PROVIDER_PASSWORD,
                "--vcc.sim.operation-delay=20ms"));
        if (token != null) {
            args.add("--vcc.node.registration-token=" + token);
        }
        return start(VccNodeApplication.application(), name, port, args.toArray(String[]::new));
    }

    ConfigurableApplicationContext spNode(String name, int port, String serverUrl, String token, String cloudName, int cloudNodePort) {
        return start(SpNodeApplication.application(), name, port,
                "--vcc.node.name=" + name,
                "--vcc.node.base-url=http://localhost:" + port,
                "--vcc.node.server-url=" + serverUrl,
                "--vcc.node.registration-token=" + token,
                "--vcc.node.cloud.name=" + cloudName,
                "--vcc.node.cloud.url=http://localhost:" + cloudNodePort + "/sim/v1",
                "--vcc.node.registration-retry=500ms",
                "--vcc.sp.provider.password=" + PROVIDER_PASSWORD);
    }

    private ConfigurableApplicationContext start(SpringApplicationBuilder application, String home, int port, String... args) {
        ConfigurableApplicationContext context = application.run(withCommon(home, port, args).toArray(String[]::new));
        running.add(context);
        return context;
    }

    private List<String> withCommon(String home, int port, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--server.port=" + port);
        all.add("--vcc.home=" + root.resolve(home));
        all.add("--vcc.embedded-postgres.fsync=" + (durableDatabases ? "on" : "off"));
        all.add("--spring.main.banner-mode=off");
        return all;
    }

    public void stop(ConfigurableApplicationContext context) {
        context.close();
        running.remove(context);
    }

    @Override
    public void close() {
        for (int i = running.size() - 1; i >= 0; i--) {
            running.get(i).close();
        }
        running.clear();
    }
}

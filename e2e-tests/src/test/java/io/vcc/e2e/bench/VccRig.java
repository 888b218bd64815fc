package io.vcc.e2e.bench;

import io.vcc.e2e.Api;
import io.vcc.e2e.VccCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * The vcc side of the benchmark: a server and two nodes, each in its own application context, port and
 * embedded PostgreSQL (fsync on, so checkpoints are durable), registered the way an installation does;
 * a tenant with a VDC on each node. Transfers run through the operator API exactly as a script would.
 */
final class VccRig implements AutoCloseable {

    /** One transfer as the server's operation reports it; step times are the server's (it polls the nodes). */
    record TransferTimes(String direction, long packageBytes, long bytesOnWire, int chunksResent, double exportSeconds,
                         double transferSeconds, double verifySeconds, double importSeconds, double totalSeconds,
                         String targetVmId, CpuMeter.Usage transferCpu) {
        double transferMegabytesPerSecond() {
            return packageBytes / transferSeconds / 1e6;
        }
    }

    /** A transfer whose target node was stopped and started again mid-transfer. */
    record ResumeTimes(long committedAtKill, long packageBytes, double stopSeconds, double nodeStartSeconds,
                       double restartToProgressSeconds, long bytesResent, int chunksResent, TransferTimes transfer) {
    }

    private static final String TENANT_PASSWORD = "bench-password-1";
    private static final Duration POLL = Duration.ofMillis(20);

    private final VccCluster cluster;
    private final String server;
    private final Node source;
    private final Node target;
    private final Api admin;
    private final Api tenant;
    private final BenchOptions options;
    private final javax.net.ssl.SSLContext trust;
    private String caPin;
    private final String sourceVdc;
    private final String targetVdc;

    private final class Node {
        final String name;
        final String visibility;
        final int port = VccCluster.freePort();
        ConfigurableApplicationContext context;

        Node(String name, String visibility) {
            this.name = name;
            this.visibility = visibility;
        }

        void start(String token) {
            context = options.tls()
                    ? cluster.vccNode(name, port, "https://127.0.0.1:" + port, server, token, visibility, "--logging.level.root=WARN",
                            "--vcc.tls.enabled=true", "--vcc.node.server-ca-sha256=" + caPin)
                    : cluster.vccNode(name, port, "http://127.0.0.1:" + port, server, token, visibility, "--logging.level.root=WARN");
        }

        Path disk(String vmId) {
            return cluster.home(name, "vcc-node").resolve("disks").resolve(vmId).resolve("disk-0.img");
        }

        /** Bytes of this transfer the node has committed as the receiving side (its checkpoint log). */
        long committed(String transferId) {
            return context.getBean(JdbcClient.class)
                    .sql("select coalesce(sum(committed_offset), 0) from transfer_file where transfer_id = ? and side = 'TARGET'")
                    .param(java.util.UUID.fromString(transferId)).query(Long.class).single();
        }
    }

    VccRig(Path home, BenchOptions options) {
        this.options = options;
        cluster = new VccCluster(home, true);
        int serverPort = VccCluster.freePort();
        server = (options.tls() ? "https" : "http") + "://127.0.0.1:" + serverPort;
        // The server polls the nodes every 50 ms (1 s by default) so that its step times are close to the nodes'.
        cluster.server(serverPort, "--vcc.transfers.chunk-size=" + options.chunkBytes() + "B",
                "--vcc.transfers.poll-interval=50ms", "--db-scheduler.polling-interval=50ms",
                "--logging.level.root=WARN", "--vcc.tls.enabled=" + options.tls());
        javax.net.ssl.SSLContext trusted = null;
        if (options.tls()) {
            java.security.cert.X509Certificate ca = io.vcc.support.tls.Pem.certificates(
                    cluster.home("server", "vcc-server").resolve("tls/ca.pem")).get(0);
            caPin = io.vcc.support.tls.Certificates.sha256(ca);
            try {
                trusted = io.vcc.support.tls.TlsContexts.sslContext(null, List.of(), List.of(ca));
            } catch (java.security.GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
        this.trust = trusted;
        admin = trusting(Api.basic(server, "admin", VccCluster.ADMIN_PASSWORD));
        source = new Node("bench-source", options.pull() ? "PUBLIC" : "PRIVATE");
        target = new Node("bench-target", options.pull() ? "PRIVATE" : "PUBLIC");
        for (Node node : List.of(source, target)) {
            node.start(admin.post("/api/v1/node-registrations", "{\"note\":\"" + node.name + "\"}").text("token"));
        }
        await("both nodes RUNNING", Duration.ofSeconds(90), () -> {
            List<String> states = admin.get("/api/v1/nodes").json().findValuesAsString("status");
            return states.size() == 2 && states.stream().allMatch("RUNNING"::equals);
        });
        String tenantId = admin.post("/api/v1/tenants", "{\"name\":\"bench\"}").json().path("id").asString();
        admin.post("/api/v1/tenants/" + tenantId + "/users",
                "{\"username\":\"bench-admin\",\"password\":\"" + TENANT_PASSWORD + "\",\"role\":\"TENANT_ADMIN\"}");
        // A script's API token, not Basic: the bench polls often, and every Basic request costs a BCrypt check.
        String token = trusting(Api.basic(server, "bench-admin", TENANT_PASSWORD))
                .post("/api/v1/tokens", "{\"name\":\"bench\",\"expiresInDays\":1}").text("token");
        tenant = trusting(Api.bearer(server, token));
        sourceVdc = vdc(tenantId, source);
        targetVdc = vdc(tenantId, target);
    }

    /** A VM on the source whose disk image holds {@code size} random bytes; answers its id. */
    String createVm(String name, long size) {
        long diskGb = Math.max(1, (size + (1L << 30) - 1) >> 30);
        Api.Response created = tenant.post("/api/v1/vdcs/" + sourceVdc + "/vms",
                "{\"name\":\"" + name + "\",\"cpus\":2,\"memoryMb\":1024,\"diskGb\":" + diskGb + "}");
        check(created.status() == 201, created);
        return created.text("id");
    }

    Path sourceDisk(String vmId) {
        return source.disk(vmId);
    }

    Path targetDisk(String vmId) {
        return target.disk(vmId);
    }

    /** Copies the VM to the target VDC under {@code targetName} and times it. */
    TransferTimes copy(String vmId, String targetName) {
        String operation = start(vmId, targetName);
        long[] packageBytes = {0};
        CpuMeter.Sample[] cpu = new CpuMeter.Sample[2];
        JsonNode done = awaitEnd(operation, op -> {
            packageBytes[0] = Math.max(packageBytes[0], transferTotal(op));
            boolean transferring = "transfer".equals(op.path("currentStep").asString(null));
            if (transferring && cpu[0] == null) {
                cpu[0] = CpuMeter.sample();
            } else if (!transferring && cpu[0] != null && cpu[1] == null) {
                cpu[1] = CpuMeter.sample();
            }
        });
        return times(done, packageBytes[0], cpu[0] != null && cpu[1] != null ? CpuMeter.between(cpu[0], cpu[1]) : null);
    }

    /**
     * Copies the VM and, once {@code fraction} of it is committed on the target, stops the target node's
     * context and starts it again; measures from that start until the target commits another chunk.
     */
    ResumeTimes copyWithTargetRestart(String vmId, String targetName, double fraction, long diskBytes) {
        String operation = start(vmId, targetName);
        await("the target to commit " + (int) (fraction * 100) + "% of the disk", Duration.ofMinutes(10),
                () -> target.committed(operation) >= fraction * diskBytes, Duration.ofMillis(5));
        long atKill = target.committed(operation);
        long stopStart = System.nanoTime();
        cluster.stop(target.context);
        double stopSeconds = seconds(stopStart);

        long restart = System.nanoTime();
        target.start(null);
        double started = seconds(restart);
        long baseline = target.committed(operation);
        await("the transfer to make progress after the restart", Duration.ofMinutes(5),
                () -> target.committed(operation) > baseline, Duration.ofMillis(5));
        double progress = seconds(restart);

        long[] packageBytes = {0};
        JsonNode done = awaitEnd(operation, op -> packageBytes[0] = Math.max(packageBytes[0], transferTotal(op)));
        TransferTimes times = times(done, packageBytes[0], null);
        return new ResumeTimes(atKill, times.packageBytes(), stopSeconds, started, progress,
                times.bytesOnWire() - times.packageBytes(), times.chunksResent(), times);
    }

    private String start(String vmId, String targetName) {
        Api.Response accepted = tenant.post("/api/v1/transfers", "{\"sourceVdcId\":\"" + sourceVdc + "\",\"vmId\":\"" + vmId
                + "\",\"targetVdcId\":\"" + targetVdc + "\",\"mode\":\"COPY\",\"targetName\":\"" + targetName + "\"}");
        check(accepted.status() == 202, accepted);
        return accepted.text("id");
    }

    private JsonNode awaitEnd(String operation, java.util.function.Consumer<JsonNode> observe) {
        JsonNode[] last = {null};
        await("operation " + operation + " to end", Duration.ofMinutes(30), () -> {
            JsonNode op = tenant.get("/api/v1/operations/" + operation).json();
            observe.accept(op);
            last[0] = op;
            return op.path("state").asString().matches("SUCCEEDED|FAILED|CANCELLED");
        });
        check(last[0].path("state").asString().equals("SUCCEEDED"), last[0]);
        return last[0];
    }

    /** The package's size: the transfer step's total while it runs. */
    private static long transferTotal(JsonNode op) {
        return "transfer".equals(op.path("currentStep").asString(null)) ? op.path("bytesTotal").asLong() : 0;
    }

    private static TransferTimes times(JsonNode done, long packageBytes, CpuMeter.Usage transferCpu) {
        JsonNode outputs = done.path("outputs");
        long onWire = outputs.path("bytesOnWire").asLong();
        return new TransferTimes(outputs.path("direction").asString(), packageBytes > 0 ? packageBytes : onWire, onWire,
                outputs.path("chunksResent").asInt(), step(done, "export"), step(done, "transfer"), step(done, "verify"),
                step(done, "import"), between(done.path("createdAt"), done.path("endedAt")),
                outputs.path("targetVmId").asString(), transferCpu);
    }

    private static double step(JsonNode operation, String name) {
        for (JsonNode step : operation.path("steps")) {
            if (name.equals(step.path("name").asString())) {
                return between(step.path("startedAt"), step.path("endedAt"));
            }
        }
        throw new IllegalStateException("No step " + name + " in " + operation);
    }

    private static double between(JsonNode from, JsonNode to) {
        return Duration.between(Instant.parse(from.asString()), Instant.parse(to.asString())).toNanos() / 1e9;
    }

    private Api trusting(Api api) {
        return trust == null ? api : api.trusting(trust);
    }

    private String vdc(String tenantId, Node node) {
        String cloud = null;
        for (JsonNode c : admin.get("/api/v1/clouds").json()) {
            if (c.path("name").asString().equals(node.name)) {
                cloud = c.path("id").asString();
            }
        }
        Api.Response vdc = admin.post("/api/v1/vdcs", "{\"tenantId\":\"" + tenantId + "\",\"cloudId\":\"" + cloud
                + "\",\"name\":\"bench-" + node.name + "\",\"cpuQuota\":256,\"memoryMbQuota\":262144,\"storageGbQuota\":10000}");
        check(vdc.status() == 201, vdc);
        return vdc.text("id");
    }

    private static void check(boolean ok, Object what) {
        if (!ok) {
            throw new IllegalStateException("Unexpected answer: " + what);
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static void await(String what, Duration atMost, java.util.function.BooleanSupplier condition) {
        await(what, atMost, condition, POLL);
    }

    private static void await(String what, Duration atMost, java.util.function.BooleanSupplier condition, Duration every) {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Timed out waiting for " + what);
            }
            try {
                TimeUnit.NANOSECONDS.sleep(every.toNanos());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    @Override
    public void close() {
        cluster.close();
    }
}

package io.vcc.e2e.bench;

import io.vcc.e2e.Api;
import io.vcc.e2e.VccCluster;
import io.vcc.server.VccServerApplication;
import io.vcc.server.workflow.Workflows;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Server replicas on one database (bench/cluster/run): --ops operations of a light workflow (power a VM off, then on,
 * against a node's simulated cloud; {@link PowerCycleWorkflow}) started at once, all in flight together, first with
 * one replica, then with two. Everything is counted from the database: operations that did not succeed (lost),
 * steps executed more than once (run twice), steps per second from the first start to the last end, and each step's
 * start latency (from when it became due: the previous step's end, or the operation's creation). The replicas are
 * application contexts in this JVM, each with its own db-scheduler and web server, on one embedded PostgreSQL.
 * Usage: bench/cluster/run [--ops 1000]
 */
public final class ClusterBench {

    /** {@code failed}: ended FAILED (the node refused a change to a VM another operation was changing at once). */
    private record Result(int replicas, long operations, long succeeded, long failed, long stepsRunTwice, long steps, double seconds,
                          double p50StartMillis, double p99StartMillis) {
        double stepsPerSecond() {
            return steps / seconds;
        }
    }

    private final Path home;
    private final EmbeddedPostgres postgres;
    private final VccCluster cluster;
    private final String secretKey = Base64.getEncoder().encodeToString(new SecureRandom().generateSeed(32));
    private final List<ConfigurableApplicationContext> replicas = new ArrayList<>();
    private final List<String> vms = new ArrayList<>();
    private UUID nodeId;

    private ClusterBench(Path home) throws Exception {
        this.home = home;
        this.postgres = EmbeddedPostgres.builder().setServerConfig("max_connections", "200").start();
        this.cluster = new VccCluster(home, true);
    }

    public static void main(String[] args) throws Exception {
        int ops = 1000;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--ops")) {
                ops = Integer.parseInt(args[++i]);
            } else {
                System.err.println("usage: bench/cluster/run [--ops 1000]");
                System.exit(2);
            }
        }
        Path home = Files.createTempDirectory("vcc-cluster-bench");
        ClusterBench bench = new ClusterBench(home);
        try {
            bench.setUp();
            Result one = bench.round(ops);
            bench.startReplica();
            Result two = bench.round(ops);
            System.out.println();
            System.out.printf("Server replicas on one PostgreSQL, %d operations in flight (2 steps each), %d CPUs%n", ops,
                    Runtime.getRuntime().availableProcessors());
            System.out.println("replicas  ops   succeeded  failed  lost  run-twice  steps  seconds  steps/s  p50 start ms  p99 start ms");
            for (Result r : List.of(one, two)) {
                System.out.printf("%8d  %4d  %9d  %6d  %4d  %9d  %5d  %7.1f  %7.1f  %12.0f  %12.0f%n", r.replicas(), r.operations(),
                        r.succeeded(), r.failed(), r.operations() - r.succeeded() - r.failed(), r.stepsRunTwice(), r.steps(), r.seconds(), r.stepsPerSecond(),
                        r.p50StartMillis(), r.p99StartMillis());
            }
            System.out.printf("ratio 2 replicas / 1 replica: steps/s %.2f, p99 start latency %.2f%n",
                    two.stepsPerSecond() / one.stepsPerSecond(), two.p99StartMillis() / one.p99StartMillis());
        } finally {
            bench.close();
        }
        System.exit(0);
    }

    private void setUp() {
        startReplica();
        String url = url(replicas.get(0));
        Api admin = Api.basic(url, "admin", VccCluster.ADMIN_PASSWORD);
        int nodePort = VccCluster.freePort();
        String token = admin.post("/api/v1/node-registrations", "{\"note\":\"bench\"}").text("token");
        cluster.vccNode("node-a", nodePort, "http://127.0.0.1:" + nodePort, url, token, "PUBLIC",
                "--logging.level.root=WARN", "--vcc.sim.operation-delay=0ms");
        JsonNode node = awaitValue(Duration.ofSeconds(120), () -> {
            JsonNode nodes = admin.get("/api/v1/nodes").json();
            return nodes.size() == 1 && "RUNNING".equals(nodes.get(0).path("status").asString()) ? nodes.get(0) : null;
        });
        nodeId = UUID.fromString(node.path("id").asString());
        String tenant = created(admin.post("/api/v1/tenants", "{\"name\":\"bench\"}"));
        String cloud = admin.get("/api/v1/clouds").json().get(0).path("id").asString();
        String vdc = created(admin.post("/api/v1/vdcs", "{\"tenantId\":\"" + tenant + "\",\"cloudId\":\"" + cloud
                + "\",\"name\":\"bench\",\"cpuQuota\":64,\"memoryMbQuota\":65536,\"storageGbQuota\":100}"));
        for (int i = 0; i < 20; i++) {
            vms.add(created(admin.post("/api/v1/vdcs/" + vdc + "/vms", "{\"name\":\"vm-" + i + "\",\"cpus\":1,\"memoryMb\":256,\"diskGb\":1}")));
        }
    }

    private static String created(Api.Response response) {
        if (response.status() != 201) {
            throw new IllegalStateException("setting up: " + response);
        }
        return response.text("id");
    }

    private void startReplica() {
        int port = VccCluster.freePort();
        String name = "replica-" + (replicas.size() + 1);
        replicas.add(VccServerApplication.application().sources(PowerCycleWorkflow.class).run(
                "--server.port=" + port,
                "--vcc.home=" + home.resolve(name),
                "--vcc.replica-name=" + name,
                "--vcc.admin.password=" + VccCluster.ADMIN_PASSWORD,
                "--vcc.secret-key=" + secretKey,
                "--spring.datasource.url=" + postgres.getJdbcUrl("postgres", "postgres"),
                "--spring.datasource.username=postgres",
                "--spring.main.banner-mode=off",
                "--logging.level.root=WARN"));
    }

    /** Starts {@code ops} operations spread over the replicas, all at once, and measures them once all have ended. */
    private Result round(int ops) throws Exception {
        String batch = UUID.randomUUID().toString();
        ExecutorService starters = Executors.newFixedThreadPool(8);
        for (int i = 0; i < ops; i++) {
            int n = i;
            starters.execute(() -> replicas.get(n % replicas.size()).getBean(Workflows.class).start(PowerCycleWorkflow.TYPE, null,
                    new PowerCycleWorkflow.Params(nodeId, vms.get(n % vms.size()), batch), List.of()));
        }
        starters.shutdown();
        starters.awaitTermination(10, TimeUnit.MINUTES);
        JdbcClient jdbc = JdbcClient.create(replicas.get(0).getBean(DataSource.class));
        String inBatch = "type = '" + PowerCycleWorkflow.TYPE + "' and params like '%" + batch + "%'";
        awaitValue(Duration.ofMinutes(15), () -> jdbc.sql("select count(*) from workflow_run where " + inBatch
                + " and state in ('SUCCEEDED', 'FAILED', 'CANCELLED')").query(Long.class).single() == ops ? true : null);
        long succeeded = jdbc.sql("select count(*) from workflow_run where state = 'SUCCEEDED' and " + inBatch).query(Long.class).single();
        String steps = "workflow_step s join workflow_run r on r.id = s.run_id where r." + inBatch.replace("params", "r.params");
        long failed = jdbc.sql("select count(*) from workflow_run where state = 'FAILED' and " + inBatch).query(Long.class).single();
        long runTwice = jdbc.sql("select count(*) from " + steps + " and s.polls > 1").query(Long.class).single();
        long done = jdbc.sql("select count(*) from " + steps + " and s.state = 'DONE'").query(Long.class).single();
        double seconds = jdbc.sql("select extract(epoch from max(ended_at) - min(created_at)) from workflow_run where " + inBatch)
                .query(Double.class).single();
        List<Double> latency = jdbc.sql("""
                        select percentile_cont(0.5) within group (order by ms), percentile_cont(0.99) within group (order by ms) from (
                          select extract(epoch from s.started_at - coalesce(lag(s.ended_at) over (partition by s.run_id order by s.idx),
                                 r.created_at)) * 1000 as ms
                          from""" + " " + steps + ") due")
                .query((rs, row) -> List.of(rs.getDouble(1), rs.getDouble(2))).single();
        return new Result(replicas.size(), ops, succeeded, failed, runTwice, done, seconds, latency.get(0), latency.get(1));
    }

    private static <T> T awaitValue(Duration timeout, java.util.function.Supplier<T> value) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                T found = value.get();
                if (found != null) {
                    return found;
                }
            } catch (RuntimeException notYet) {
                // not up yet
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("timed out after " + timeout);
    }

    private static String url(ConfigurableApplicationContext context) {
        return "http://localhost:" + context.getEnvironment().getProperty("local.server.port");
    }

    private void close() throws Exception {
        cluster.close();
        for (int i = replicas.size() - 1; i >= 0; i--) {
            replicas.get(i).close();
        }
        postgres.close();
    }
}

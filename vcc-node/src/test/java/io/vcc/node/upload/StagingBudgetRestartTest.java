package io.vcc.node.upload;

import io.vcc.node.packaging.Staging;
import io.vcc.node.packaging.StagingBudget;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vcc.api.node.VdcSpec;
import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import io.vcc.api.transfer.PackageUploadRequest;
import io.vcc.api.transfer.PackageUploadState;
import io.vcc.node.VccNodeApplication;
import io.vcc.node.adapter.CloudDirectorAdapter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The staging reservations are the node database's: a node that restarts still counts an upload in progress,
 * and an upload abandoned across restarts expires (its TTL made short here) and gives its bytes back.
 */
class StagingBudgetRestartTest {

    private static final long MB = 1024 * 1024;
    private static final Path HOME = Path.of("target/test-home/vcc-node-budget-restart-test");

    @Test
    void reservationsOutliveARestartAndAnAbandonedUploadExpiresWithItsReservation() throws Exception {
        Staging.deleteTree(HOME);
        String vdc;
        UUID first;
        try (ConfigurableApplicationContext node = start()) {
            vdc = node.getBean(CloudDirectorAdapter.class).createVdc(new VdcSpec("acme", "a", 8, 8192, 100)).id();
            first = UUID.fromString(node.getBean(PackageUploadService.class).create(upload(vdc, 6 * MB)).id());
        }

        UUID second;
        try (ConfigurableApplicationContext node = start()) {
            PackageUploadService uploads = node.getBean(PackageUploadService.class);
            StagingBudget budget = node.getBean(StagingBudget.class);
            assertThat(budget.reservedBy(first)).isEqualTo(6 * MB);
            assertThatThrownBy(() -> uploads.create(upload(vdc, 6 * MB))).isInstanceOfSatisfying(VccProblemException.class,
                    e -> assertThat(e.type()).isEqualTo(ProblemType.STAGING_FULL));
            uploads.abort(first, vdc);
            assertThat(budget.reservedBy(first)).isZero();
            second = UUID.fromString(uploads.create(upload(vdc, 6 * MB)).id());
        }

        // Restarted with a short TTL and a busy janitor: the upload nobody writes to any more expires by itself.
        try (ConfigurableApplicationContext node = start("vcc.packages.upload-ttl=1s", "vcc.transfers.staging-sweep-interval=100ms")) {
            PackageUploadService uploads = node.getBean(PackageUploadService.class);
            StagingBudget budget = node.getBean(StagingBudget.class);
            PackageUploadState state = uploads.status(second, vdc).state();
            for (int i = 0; i < 600 && state == PackageUploadState.RECEIVING; i++) {
                Thread.sleep(100);
                state = uploads.status(second, vdc).state();
            }
            assertThat(state).isEqualTo(PackageUploadState.FAILED);
            assertThat(uploads.status(second, vdc).problemDetail()).contains("abandoned");
            assertThat(budget.reservedBy(second)).isZero();
            assertThat(node.getBean(Staging.class).uploadDir(second)).doesNotExist();
            assertThat(budget.usage("acme").reserved()).isZero();
        }
    }

    private static PackageUploadRequest upload(String vdc, long length) {
        return new PackageUploadRequest(vdc, length, null, null, null);
    }

    private static ConfigurableApplicationContext start(String... more) {
        List<String> properties = new ArrayList<>(List.of("spring.config.name=vcc-node", "spring.profiles.active=test",
                "vcc.service-name=vcc-node-budget-restart-test", "vcc.home=" + HOME.toAbsolutePath(),
                "vcc.embedded-postgres.ephemeral=false", "server.port=0", "vcc.staging.budget=10MB", "vcc.staging.tenant-share=1",
                "vcc.datapath.enabled=false"));
        properties.addAll(List.of(more));
        // As arguments: they win over the test profile's settings (its ephemeral database above all).
        return new SpringApplicationBuilder(VccNodeApplication.class).run(properties.stream().map(p -> "--" + p).toArray(String[]::new));
    }
}

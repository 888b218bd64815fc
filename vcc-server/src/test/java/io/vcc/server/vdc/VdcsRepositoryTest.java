package io.vcc.server.vdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vcc.support.db.EmbeddedPostgresAutoConfiguration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.data.jpa.test.autoconfigure.DataJpaTest;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;

/**
 * Tenant isolation lives in the query: on a real PostgreSQL, another tenant's VDC is simply not there. A slice:
 * the repositories on the server's schema (Flyway) in an embedded PostgreSQL, nothing else of the server; each
 * test's rows are rolled back.
 */
@DataJpaTest(properties = {"spring.config.name=vcc-server", "vcc.service-name=vcc-server"})
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
@ImportAutoConfiguration(EmbeddedPostgresAutoConfiguration.class)
@ActiveProfiles("test")
class VdcsRepositoryTest {

    @Autowired
    Vdcs vdcs;
    @Autowired
    JdbcClient jdbc;

    private UUID acme;
    private UUID globex;
    private UUID cloud;
    private UUID node;

    @BeforeEach
    void rows() {
        acme = tenant("acme");
        globex = tenant("globex");
        cloud = UUID.randomUUID();
        jdbc.sql("insert into cloud (id, name, type, multi_tenant, created_at) values (?, ?, 'CLOUD_DIRECTOR', true, now())")
                .params(cloud, "c-" + cloud.toString().substring(0, 8)).update();
        node = UUID.randomUUID();
        jdbc.sql("""
                insert into node (id, name, kind, visibility, base_url, cloud_id, services, version, status,
                                  status_changed_at, username, secret_encrypted, registered_at)
                values (?, ?, 'VCC', 'PUBLIC', 'http://localhost:1', ?, '', 'test', 'RUNNING', now(), ?, 'x', now())""")
                .params(node, "n-" + node.toString().substring(0, 8), cloud, "node-" + node).update();
    }

    @Test
    void aTenantScopeSeesOnlyItsOwnVdcsAndAnAdminSeesAll() {
        Vdc acmeVdc = vdcs.save(new Vdc(acme, cloud, node, "prod", "remote-1", 4, 4096, 10, Instant.now()));
        Vdc globexVdc = vdcs.save(new Vdc(globex, cloud, node, "prod", "remote-2", 4, 4096, 10, Instant.now()));

        assertThat(vdcs.findVisible(acmeVdc.id(), acme)).isPresent();
        assertThat(vdcs.findVisible(acmeVdc.id(), globex)).isEmpty();
        assertThat(vdcs.findVisible(acmeVdc.id(), null)).isPresent();

        assertThat(vdcs.findVisible(globex, null, cloud)).extracting(Vdc::id).containsExactly(globexVdc.id());
        assertThat(vdcs.findVisible(globex, acme, null)).as("asking for another tenant's VDCs finds none").isEmpty();
        assertThat(vdcs.findVisible(null, null, cloud)).extracting(Vdc::id).contains(acmeVdc.id(), globexVdc.id());
    }

    @Test
    void aTenantCannotHaveTwoVdcsOfOneNameInOneCloud() {
        vdcs.saveAndFlush(new Vdc(acme, cloud, node, "dup", "remote-3", 1, 512, 1, Instant.now()));
        assertThatThrownBy(() -> vdcs.saveAndFlush(new Vdc(acme, cloud, node, "dup", "remote-4", 1, 512, 1, Instant.now())))
                .isInstanceOf(DataIntegrityViolationException.class);
    }

    private UUID tenant(String prefix) {
        UUID id = UUID.randomUUID();
        jdbc.sql("insert into tenant (id, name, display_name, created_at) values (?, ?, ?, now())")
                .params(id, prefix + "-" + id.toString().substring(0, 8), prefix).update();
        return id;
    }
}

package io.vcc.server.stretch;

import io.vcc.api.problem.VccProblemException;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The record of every stretch deploy (table {@code stretch_deploy}): what went where, for reverse and commit. */
@Component
class StretchDeploys {

    record Row(UUID id, UUID tenantId, String kind, UUID sourceVdcId, String sourceId, List<String> sourceVmIds,
               UUID targetVdcId, UUID networkId, boolean extendedNetwork, boolean keepSource, boolean committed, UUID reverseOf) {
    }

    private final JdbcClient jdbc;
    private final Clock clock;

    StretchDeploys(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    void insert(UUID id, StretchParams p, UUID reverseOf) {
        jdbc.sql("""
                        insert into stretch_deploy (id, tenant_id, kind, source_vdc_id, source_id, source_vm_ids, target_vdc_id,
                                                    network_id, extended_network, keep_source, reverse_of, created_at)
                        values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(id, p.tenantId(), p.kind().name(), p.sourceVdcId(), p.sourceId(), String.join(",", p.sourceVmIds()),
                        p.targetVdcId(), p.networkId(), !p.networkSpannedTarget(), p.keepSource(), reverseOf,
                        java.sql.Timestamp.from(clock.instant()))
                .update();
    }

    /** A stretch deploy the caller may see ({@code scope} null: an admin); another tenant's is not found. */
    Row visible(UUID id, UUID scope) {
        return jdbc.sql("select * from stretch_deploy where id = ? and (cast(? as uuid) is null or tenant_id = ?)")
                .params(id, scope, scope)
                .query(StretchDeploys::row)
                .optional().orElseThrow(() -> VccProblemException.notFound("Stretch deploy", id));
    }

    /** The stretch deploys the caller may see ({@code scope} null: an admin, all), newest first. */
    List<Row> list(UUID scope) {
        return jdbc.sql("select * from stretch_deploy where cast(? as uuid) is null or tenant_id = ? order by created_at desc")
                .params(scope, scope)
                .query(StretchDeploys::row)
                .list();
    }

    private static Row row(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        return new Row(rs.getObject("id", UUID.class), rs.getObject("tenant_id", UUID.class), rs.getString("kind"),
                rs.getObject("source_vdc_id", UUID.class), rs.getString("source_id"),
                rs.getString("source_vm_ids").isEmpty() ? List.of() : Arrays.asList(rs.getString("source_vm_ids").split(",")),
                rs.getObject("target_vdc_id", UUID.class), rs.getObject("network_id", UUID.class),
                rs.getBoolean("extended_network"), rs.getBoolean("keep_source"), rs.getBoolean("committed"),
                rs.getObject("reverse_of", UUID.class));
    }

    /** Whether a stretch deploy other than {@code runId}, still queued or running, takes the network into the cloud. */
    boolean othersUnderway(UUID networkId, UUID cloudId, UUID runId) {
        return jdbc.sql("""
                        select count(*) from stretch_deploy d
                        join workflow_run r on r.id = d.id
                        join vdc v on v.id = d.target_vdc_id
                        where d.network_id = ? and v.cloud_id = ? and d.id <> ? and r.state in ('QUEUED', 'RUNNING')""")
                .params(networkId, cloudId, runId)
                .query(Long.class).single() > 0;
    }

    /** The reverse started for a stretch deploy, if any. */
    boolean reversed(UUID id) {
        return jdbc.sql("select count(*) from stretch_deploy where reverse_of = ?").param(id).query(Long.class).single() > 0;
    }

    /** {@link #reversed}, with the stretch deploy's row locked until the transaction ends. */
    boolean reversedLocking(UUID id) {
        jdbc.sql("select id from stretch_deploy where id = ? for update").param(id).query(UUID.class).single();
        return reversed(id);
    }

    void committed(UUID id) {
        jdbc.sql("update stretch_deploy set committed = true where id = ?").param(id).update();
    }
}

package io.vcc.server.ha;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Protections; a {@code scope} (the caller's tenant, null for an admin) is part of every query that reads them. */
@Repository
class Protections {

    /** A protected customer hypervisor on a node, and the pool it fails over into. */
    record Protected(UUID nodeId, UUID poolId, String hypervisorId) {
    }

    private final JdbcClient jdbc;

    Protections(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(Protection p) {
        jdbc.sql("""
                insert into ha_protection (id, tenant_id, pool_id, hypervisor_id, vm_id, rpo_seconds, created_at)
                values (?, ?, ?, ?, ?, ?, ?)""")
                .params(p.id(), p.tenantId(), p.poolId(), p.hypervisorId(), p.vmId(), p.rpoSeconds(), Timestamp.from(p.createdAt()))
                .update();
    }

    Optional<Protection> find(UUID id, UUID scope) {
        return jdbc.sql("select * from ha_protection where id = ? and (cast(? as uuid) is null or tenant_id = ?)")
                .params(id, scope, scope).query(Protections::protection).optional();
    }

    List<Protection> list(UUID scope) {
        return jdbc.sql("select * from ha_protection where cast(? as uuid) is null or tenant_id = ? order by created_at, id")
                .params(scope, scope).query(Protections::protection).list();
    }

    /** Every protection of the hypervisor into the pool. */
    List<Protection> of(UUID poolId, String hypervisorId) {
        return jdbc.sql("select * from ha_protection where pool_id = ? and hypervisor_id = ? order by created_at, id")
                .params(poolId, hypervisorId).query(Protections::protection).list();
    }

    List<Protected> protectedHypervisors() {
        return jdbc.sql("""
                select distinct p.node_id, r.pool_id, r.hypervisor_id
                from ha_protection r join ha_pool p on p.id = r.pool_id order by 1, 2, 3""")
                .query((rs, n) -> new Protected(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3))).list();
    }

    boolean inOpenFailover(UUID id) {
        return jdbc.sql("""
                select count(*) from ha_failover_protection fp join ha_failover f on f.id = fp.failover_id
                where fp.protection_id = ? and f.state not in ('FAILED_BACK', 'ABORTED')""")
                .param(id).query(Long.class).single() > 0;
    }

    void replicated(UUID id, Protection.ReplicationPoint point) {
        jdbc.sql("""
                update ha_protection set replicated_at = ?, replicated_vms = ?, replicated_chunks = ?, replicated_chunks_sent = ?,
                       replicated_bytes_sent = ?, replication_failed_at = null, replication_error = null where id = ?""")
                .params(Timestamp.from(point.at()), point.vms(), point.chunks(), point.chunksSent(), point.bytesSent(), id).update();
    }

    void replicationFailed(UUID id, Protection.ReplicationFailure failure) {
        jdbc.sql("update ha_protection set replication_failed_at = ?, replication_error = ? where id = ?")
                .params(Timestamp.from(failure.at()), failure.reason(), id).update();
    }

    void delete(UUID id) {
        jdbc.sql("delete from ha_failover_protection where protection_id = ?").param(id).update();
        jdbc.sql("delete from ha_protection where id = ?").param(id).update();
    }

    private static Protection protection(ResultSet rs, int row) throws SQLException {
        return new Protection(rs.getObject("id", UUID.class), rs.getObject("tenant_id", UUID.class),
                rs.getObject("pool_id", UUID.class), rs.getString("hypervisor_id"), rs.getString("vm_id"),
                rs.getInt("rpo_seconds"), rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("replicated_at") == null ? null : new Protection.ReplicationPoint(rs.getTimestamp("replicated_at").toInstant(),
                        rs.getInt("replicated_vms"), rs.getInt("replicated_chunks"), rs.getInt("replicated_chunks_sent"),
                        rs.getLong("replicated_bytes_sent")),
                rs.getTimestamp("replication_failed_at") == null ? null : new Protection.ReplicationFailure(
                        rs.getTimestamp("replication_failed_at").toInstant(), rs.getString("replication_error")));
    }
}

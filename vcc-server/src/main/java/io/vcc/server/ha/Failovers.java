package io.vcc.server.ha;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Failovers. A tenant ({@code scope}) sees the failovers that moved one of its protections; an admin (null) all.
 * The open-failover indexes make a second claim of a hypervisor or a VH fail on insert.
 */
@Repository
class Failovers {

    private static final String VISIBLE = """
            (cast(? as uuid) is null or exists (select 1 from ha_failover_protection fp join ha_protection p
             on p.id = fp.protection_id where fp.failover_id = f.id and p.tenant_id = ?))""";

    private final JdbcClient jdbc;

    Failovers(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(Failover f, Collection<UUID> protectionIds) {
        jdbc.sql("""
                insert into ha_failover (id, pool_id, node_id, hypervisor_id, system_id, vh_id, trigger_kind, reason, state,
                                         created_at, updated_at)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(f.id(), f.poolId(), f.nodeId(), f.hypervisorId(), f.systemId(), f.virtualHypervisorId(),
                        f.trigger().name(), f.reason(), f.state().name(), Timestamp.from(f.createdAt()), Timestamp.from(f.updatedAt()))
                .update();
        for (Failover.Moved vm : f.vms()) {
            jdbc.sql("insert into ha_failover_vm (failover_id, vm_id, home_hypervisor_id) values (?, ?, ?)")
                    .params(f.id(), vm.vmId(), vm.homeHypervisorId()).update();
        }
        for (UUID protection : protectionIds) {
            jdbc.sql("insert into ha_failover_protection (failover_id, protection_id) values (?, ?)").params(f.id(), protection).update();
        }
    }

    Optional<Failover> find(UUID id, UUID scope) {
        return jdbc.sql("select * from ha_failover f where id = ? and " + VISIBLE).params(id, scope, scope)
                .query(this::failover).optional();
    }

    List<Failover> list(UUID scope) {
        return jdbc.sql("select * from ha_failover f where " + VISIBLE + " order by created_at, id").params(scope, scope)
                .query(this::failover).list();
    }

    /** The VHs open failovers hold on a node: no other failover may take them, nor evacuation move them. */
    List<String> claimedVirtualHypervisors(UUID nodeId) {
        return jdbc.sql("select vh_id from ha_failover where node_id = ? and state not in ('FAILED_BACK', 'ABORTED')")
                .param(nodeId).query(String.class).list();
    }

    boolean openFor(UUID nodeId, String hypervisorId) {
        return jdbc.sql("select count(*) from ha_failover where node_id = ? and hypervisor_id = ? and state not in ('FAILED_BACK', 'ABORTED')")
                .params(nodeId, hypervisorId).query(Long.class).single() > 0;
    }

    Optional<Failover> byOperation(UUID operationId) {
        return jdbc.sql("select * from ha_failover where operation_id = ? or failback_operation_id = ?")
                .params(operationId, operationId).query(this::failover).optional();
    }

    /** Moves the failover from {@code from} to {@code to}; answers whether it was in {@code from}. */
    boolean transition(UUID id, FailoverState from, FailoverState to, Instant at) {
        return jdbc.sql("update ha_failover set state = ?, updated_at = ? where id = ? and state = ?")
                .params(to.name(), Timestamp.from(at), id, from.name()).update() == 1;
    }

    /** Records which of the failover's VMs could not be moved and why; the others' problems are cleared. */
    void notMoved(UUID id, Map<String, String> problems) {
        jdbc.sql("update ha_failover_vm set problem = null where failover_id = ?").param(id).update();
        problems.forEach((vm, problem) -> jdbc.sql("update ha_failover_vm set problem = ? where failover_id = ? and vm_id = ?")
                .params(problem, id, vm).update());
    }

    /** Records the inactive VHs the failover could not evacuate, and why (replacing what an earlier attempt recorded). */
    void notEvacuated(UUID id, Map<String, String> reasons) {
        jdbc.sql("delete from ha_failover_unevacuated where failover_id = ?").param(id).update();
        reasons.forEach((vh, reason) -> jdbc.sql("insert into ha_failover_unevacuated (failover_id, vh_id, reason) values (?, ?, ?)")
                .params(id, vh, reason).update());
    }

    void operation(UUID id, UUID operationId) {
        jdbc.sql("update ha_failover set operation_id = ? where id = ?").params(operationId, id).update();
    }

    void failbackOperation(UUID id, UUID operationId) {
        jdbc.sql("update ha_failover set failback_operation_id = ? where id = ?").params(operationId, id).update();
    }

    private Failover failover(ResultSet rs, int row) throws SQLException {
        UUID id = rs.getObject("id", UUID.class);
        List<Failover.Moved> vms = jdbc.sql("select vm_id, home_hypervisor_id, problem from ha_failover_vm where failover_id = ? order by vm_id")
                .param(id).query((r, n) -> new Failover.Moved(r.getString(1), r.getString(2), r.getString(3))).list();
        List<Failover.Unevacuated> left = jdbc.sql("select vh_id, reason from ha_failover_unevacuated where failover_id = ? order by vh_id")
                .param(id).query((r, n) -> new Failover.Unevacuated(r.getString(1), r.getString(2))).list();
        return new Failover(id, rs.getObject("pool_id", UUID.class), rs.getObject("node_id", UUID.class),
                rs.getString("hypervisor_id"), rs.getString("system_id"), rs.getString("vh_id"),
                Trigger.valueOf(rs.getString("trigger_kind")), rs.getString("reason"), FailoverState.valueOf(rs.getString("state")),
                rs.getObject("operation_id", UUID.class), rs.getObject("failback_operation_id", UUID.class),
                rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant(), vms, left);
    }
}

package io.vcc.server.workflow;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Which queued run may start: one whose every resource (e.g. {@code node:<id>}) is held by fewer runs of its type
 * than the definition's limit, and whose turn it is on each of them. Runs in one admission at a time (an advisory
 * lock), inside the caller's transaction.
 */
@Component
class Admission {

    private static final long ADMISSION_LOCK = 0x7766_6c6f_7721L;

    private final JdbcClient jdbc;
    private final Clock clock;

    Admission(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    static String resourceKey(Iterable<String> resources) {
        return "|" + String.join("|", resources) + "|";
    }

    /** Admits the run (RUNNING) when it may start; answers whether it did. */
    boolean admit(WorkflowStore.Run run, int limitPerResource) {
        jdbc.sql("select pg_advisory_xact_lock(?)").param(ADMISSION_LOCK).query(Object.class).optional();
        for (String resource : run.resources().split("\\|")) {
            if (resource.isBlank()) {
                continue;
            }
            long holding = jdbc.sql("""
                            select count(*) from workflow_run where admitted and state = 'RUNNING' and type = ?
                              and resources like ?""")
                    .params(run.type(), "%|" + resource + "|%").query(Long.class).single();
            if (holding >= limitPerResource || !run.id().equals(nextFor(run.type(), resource))) {
                return false;
            }
        }
        Timestamp now = Timestamp.from(clock.instant());
        jdbc.sql("update workflow_run set admitted = true, state = 'RUNNING', started_at = ?, updated_at = ? where id = ?")
                .params(now, now, run.id()).update();
        return true;
    }

    /**
     * The queued run that goes next on a resource, fair across tenants: the oldest run of the tenant with the
     * fewest runs of this type going, among equals the tenant admitted least recently (round robin), so one
     * tenant's many runs never keep another's waiting; within a tenant, first come, first served. The order
     * counts a tenant's runs on every resource, not only this one: one order for all resources means a run that
     * needs two (a transfer's source and target node) is never waited for on one by a run it waits for on the
     * other. A run that waits for another of its resources still keeps its turn here.
     */
    private UUID nextFor(String type, String resource) {
        return jdbc.sql("""
                        select q.id from workflow_run q
                         where q.type = ? and q.state = 'QUEUED' and not q.admitted and not q.cancel_requested
                           and q.resources like ?
                         order by (select count(*) from workflow_run h where h.type = q.type and h.admitted
                                     and h.state = 'RUNNING' and h.tenant_id is not distinct from q.tenant_id),
                                  (select max(h.started_at) from workflow_run h where h.type = q.type and h.admitted
                                     and h.tenant_id is not distinct from q.tenant_id) nulls first,
                                  q.created_at, q.id
                         limit 1""")
                .params(type, "%|" + resource + "|%").query(UUID.class).optional().orElse(null);
    }
}

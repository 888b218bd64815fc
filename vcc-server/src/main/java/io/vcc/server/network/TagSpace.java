package io.vcc.server.network;

import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Finds the lowest free value of a tag space. Each call takes a PostgreSQL advisory lock on that space for
 * the rest of the transaction, so that concurrent allocations (on this or another server replica) queue
 * and each sees what the one before committed; the unique constraints stay the last word. Callers flush
 * what they allocate before allocating again in the same transaction.
 */
@Component
class TagSpace {

    // Advisory lock keys: one per space ("vcc" and a level); VNIs lock per cloud.
    private static final int LOCK_CLASS = 0x76_63_63;
    private static final int HOST = 1;
    private static final int CUSTOMER = 2;
    private static final int DATACENTER = 3;
    private static final int VNI_SPACE = 0x76_63_76;
    private static final int TENANT_NETWORKS = 0x76_63_71;

    private final JdbcClient jdbc;
    private final NetworkProperties properties;

    TagSpace(JdbcClient jdbc, NetworkProperties properties) {
        this.jdbc = jdbc;
        this.properties = properties;
    }

    int hostTag(String forWhat) {
        lock(LOCK_CLASS, HOST);
        return firstFree("tenant_network", "host_tag", null, 1, properties.maxTag(), "host tag", forWhat);
    }

    int customerTag(String forWhat) {
        lock(LOCK_CLASS, CUSTOMER);
        return firstFree("tenant_network", "customer_tag", null, 1, properties.maxTag(), "customer tag", forWhat);
    }

    int datacenterTag(String forWhat) {
        lock(LOCK_CLASS, DATACENTER);
        return firstFree("datacenter_tag", "tag", null, 1, properties.maxTag(), "datacenter tag", forWhat);
    }

    /** Held by whoever decides whether a cloud keeps its datacenter tag, so that no one frees it under a new span. */
    void lockDatacenterTags() {
        lock(LOCK_CLASS, DATACENTER);
    }

    /** Held while a tenant's networks are checked (quota, names, VLANs) and one is added. */
    void lockNetworksOf(UUID tenantId) {
        lock(TENANT_NETWORKS, tenantId.hashCode());
    }

    int vni(UUID cloudId, String forWhat) {
        lock(VNI_SPACE, cloudId.hashCode());
        return firstFree("network_segment", "vni", cloudId, properties.firstVni(), properties.lastVni(),
                "VXLAN VNI of cloud " + cloudId, forWhat);
    }

    private void lock(int space, int key) {
        jdbc.sql("select pg_advisory_xact_lock(?, ?)").params(space, key).query().singleRow();
    }

    /**
     * The lowest value in first..last not taken: the first, or one above a taken value, whichever is free
     * (an index scan, not a walk over the space). Table and column are this class's constants.
     */
    private int firstFree(String table, String column, UUID cloudId, int first, int last, String what, String forWhat) {
        String inCloud = cloudId == null ? "" : " and cloud_id = :cloud";
        var query = jdbc.sql("select min(c) from (select :first as c union all select " + column + " + 1 from " + table
                        + " where true" + inCloud + ") candidates where c between :first and :last and not exists "
                        + "(select 1 from " + table + " where " + column + " = candidates.c" + inCloud + ")")
                .param("first", first).param("last", last);
        if (cloudId != null) {
            query = query.param("cloud", cloudId);
        }
        Integer free = query.query(Integer.class).list().stream().filter(java.util.Objects::nonNull).findFirst().orElse(null);
        if (free == null) {
            throw new VccProblemException(ProblemType.TAG_SPACE_EXHAUSTED, "Every " + what + " (" + first + ".." + last
                    + ") is taken, so it is not possible to create " + forWhat
                    + "; delete a tenant network that is no longer used first");
        }
        return free;
    }
}

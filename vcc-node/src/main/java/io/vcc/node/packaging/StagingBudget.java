package io.vcc.node.packaging;

import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The staging area's budget ({@link StagingProperties}): an upload reserves its length and an incoming
 * transfer its package's size before a byte is written, and gives them back when its staging goes. The
 * reservations are rows of the node's database, so they outlive a restart; deleting a row is what gives its
 * bytes back, so they are given back once however often a release is asked for.
 */
@Component
public class StagingBudget {

    public enum Kind { UPLOAD, TRANSFER }

    /** What one organization and the whole node have reserved, and what they may. */
    public record Usage(long reserved, long budget, long tenantReserved, long tenantShare) {
    }

    private static final Logger log = LoggerFactory.getLogger(StagingBudget.class);

    private final JdbcClient jdbc;
    private final Staging staging;
    private final StagingProperties properties;
    private final TransactionTemplate transactions;

    StagingBudget(JdbcClient jdbc, Staging staging, StagingProperties properties, TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.staging = staging;
        this.properties = properties;
        this.transactions = transactions;
    }

    /**
     * Reserves {@code bytes} for {@code part} of {@code owner} (an upload or a transfer), charged to
     * {@code tenant}, or refuses with {@code staging-full} and reserves nothing. A part already reserved
     * stays as it is (a retried request reserves once).
     *
     * @param what names what needs the room, for the message
     */
    public synchronized void reserve(UUID owner, String part, Kind kind, String tenant, long bytes, String what) {
        transactions.executeWithoutResult(tx -> {
            boolean reserved = jdbc.sql("select count(*) from staging_reservation where owner_id = ? and part = ?")
                    .params(owner, part).query(Long.class).single() > 0;
            if (reserved) {
                return;
            }
            Usage usage = usage(tenant);
            if (usage.reserved() + bytes > usage.budget()) {
                throw new VccProblemException(ProblemType.STAGING_FULL, "This node's staging area has room for "
                        + usage.budget() + " bytes and " + usage.reserved() + " of them are reserved by uploads and transfers in "
                        + "progress; " + what + " needs " + bytes + ". Try again when some have finished or been deleted, or ask "
                        + "the operator to raise vcc.staging.budget");
            }
            if (usage.tenantReserved() + bytes > usage.tenantShare()) {
                throw new VccProblemException(ProblemType.STAGING_FULL, "Organization " + tenant + " may reserve "
                        + usage.tenantShare() + " bytes of this node's staging area and " + usage.tenantReserved()
                        + " of them are reserved by its uploads and transfers in progress; " + what + " needs " + bytes
                        + ". Finish or delete some of them first");
            }
            jdbc.sql("insert into staging_reservation (owner_id, part, kind, tenant, bytes, created_at) values (?, ?, ?, ?, ?, ?)")
                    .params(owner, part, kind.name(), tenant, bytes, Timestamp.from(Instant.now())).update();
        });
    }

    /** Gives back everything {@code owner} reserved; the bytes given back (0 when it held nothing any more). */
    public long release(UUID owner) {
        long bytes = jdbc.sql("delete from staging_reservation where owner_id = ? returning bytes").param(owner)
                .query(Long.class).list().stream().mapToLong(Long::longValue).sum();
        if (bytes > 0) {
            log.debug("Released {} staging bytes of {}", bytes, owner);
        }
        return bytes;
    }

    public long reservedBy(UUID owner) {
        return jdbc.sql("select coalesce(sum(bytes), 0) from staging_reservation where owner_id = ?").param(owner)
                .query(Long.class).single();
    }

    public Usage usage(String tenant) {
        long reserved = jdbc.sql("select coalesce(sum(bytes), 0) from staging_reservation").query(Long.class).single();
        long tenantReserved = jdbc.sql("select coalesce(sum(bytes), 0) from staging_reservation where tenant = ?").param(tenant)
                .query(Long.class).single();
        long budget = budget(reserved);
        return new Usage(reserved, budget, tenantReserved, (long) (budget * properties.tenantShare()));
    }

    /**
     * Gives back what nothing holds any more: reservations of uploads that are gone or over, and of transfers
     * with nothing received here, left when the node stopped between reserving and recording (a minute's
     * grace covers a request in between). Returns how many owners.
     */
    public int releaseOrphans() {
        Timestamp before = Timestamp.from(Instant.now().minus(Duration.ofMinutes(1)));
        return jdbc.sql("""
                        delete from staging_reservation r where r.created_at < ? and (
                            (r.kind = 'UPLOAD' and not exists (select 1 from package_upload u
                                                               where u.id = r.owner_id and u.state in ('RECEIVING', 'IMPORTING')))
                         or (r.kind = 'TRANSFER' and not exists (select 1 from transfer_file f
                                                                 where f.transfer_id = r.owner_id and f.side = 'TARGET')))""")
                .param(before).update();
    }

    private long budget(long reserved) {
        if (properties.budget().toBytes() > 0) {
            return properties.budget().toBytes();
        }
        return (long) (properties.budgetFraction() * (usableSpace() + reserved));
    }

    private long usableSpace() {
        Path existing = staging.root().toAbsolutePath();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        try {
            return existing == null ? 0 : Files.getFileStore(existing).getUsableSpace();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package io.vcc.server.ha;

import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * HA tuning: how often protected hypervisors' heartbeats are checked and how long after a miss the confirming
 * second check runs; how many VMs a failover moves at once; how long a failover step may make no progress; how
 * often every protection is checked to have its replication job (each protection's job replicates every half RPO).
 */
@Validated
@ConfigurationProperties("vcc.ha")
record HaSettings(
        @DefaultValue("1s") Duration detectionInterval,
        @DefaultValue("500ms") Duration confirmAfter,
        @DefaultValue("8") @Min(1) int migrateParallelism,
        @DefaultValue("2m") Duration stallDeadline,
        @DefaultValue("5s") Duration replicationInterval) {
}

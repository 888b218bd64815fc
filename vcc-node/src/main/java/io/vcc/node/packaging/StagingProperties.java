package io.vcc.node.packaging;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * How much of the disk the staging area may take: uploads and incoming transfers reserve their bytes up front
 * and are refused ({@code staging-full}) past it. {@code budget} is a fixed size; 0 makes it
 * {@code budgetFraction} of what the staging filesystem has free plus what is reserved now, so that with a
 * fraction of at most 0.5 reservations never add up to more than the disk has free, even before a byte of
 * them is written, and the node's database on the same disk keeps room. One organization (tenant) may
 * reserve at most {@code tenantShare} of the budget, so one cannot keep the others from uploading.
 */
@ConfigurationProperties("vcc.staging")
record StagingProperties(
        @DefaultValue("0") DataSize budget,
        @DefaultValue("0.5") double budgetFraction,
        @DefaultValue("0.5") double tenantShare) {
}

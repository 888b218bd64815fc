package io.vcc.node.packaging;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Packages users upload into VDCs and download from them: the largest OVA accepted, how many bytes an upload
 * writes between two fsync-and-commit points (at most this much is sent again after a cut), how long a PATCH
 * waits for another one of the same upload to finish, how long an exported OVA stays staged after its last
 * request (downloads are resumable within that time), and after how long without a byte an upload counts as
 * abandoned (its staged bytes are removed and it shows FAILED).
 */
@ConfigurationProperties("vcc.packages")
public record PackageProperties(
        @DefaultValue("2TB") DataSize maxUploadSize,
        @DefaultValue("8MB") DataSize commitInterval,
        @DefaultValue("10s") Duration lockWait,
        @DefaultValue("1h") Duration downloadTtl,
        @DefaultValue("7d") Duration uploadTtl) {
}

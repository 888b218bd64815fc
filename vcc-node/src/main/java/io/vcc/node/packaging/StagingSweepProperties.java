package io.vcc.node.packaging;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How often the {@link StagingJanitor} looks for leftovers. The setting keeps its historical name under
 * {@code vcc.transfers} (transfers were the first to leave staging behind); it is bound here so that the
 * janitor does not depend on the transfer engine.
 */
@ConfigurationProperties("vcc.transfers")
record StagingSweepProperties(@DefaultValue("1h") Duration stagingSweepInterval) {
}

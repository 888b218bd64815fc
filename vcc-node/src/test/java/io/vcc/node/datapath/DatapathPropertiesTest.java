package io.vcc.node.datapath;

import static org.assertj.core.api.Assertions.assertThat;

import io.vcc.datapath.DatapathConfig;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** How {@code vcc.datapath.*} reads: the shipped defaults and the units an operator writes. */
class DatapathPropertiesTest {

    private static DatapathProperties bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate("vcc.datapath", DatapathProperties.class);
    }

    @Test
    void aNodeSpinsAsTheDatapathLibraryDoesAndLeavesGroOff() {
        DatapathProperties defaults = bind(Map.of());
        assertThat(defaults.spinBeforeSleep()).isEqualTo(DatapathConfig.DEFAULT_SPIN_BEFORE_SLEEP);
        assertThat(defaults.udpGro()).isFalse();
    }

    @Test
    void anOperatorTurnsTheSpinOffOrSetsItInMicroseconds() {
        assertThat(bind(Map.of("vcc.datapath.spin-before-sleep", "0")).spinBeforeSleep()).isZero();
        assertThat(bind(Map.of("vcc.datapath.spin-before-sleep", "50us", "vcc.datapath.udp-gro", "true")))
                .satisfies(p -> {
                    assertThat(p.spinBeforeSleep()).isEqualTo(Duration.ofNanos(50_000));
                    assertThat(p.udpGro()).isTrue();
                });
    }
}

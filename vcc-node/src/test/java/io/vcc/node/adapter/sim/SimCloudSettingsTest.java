package io.vcc.node.adapter.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** {@code vcc.sim.*} as a node binds it: one operation can be held longer than the others. */
class SimCloudSettingsTest {

    @Test
    void anOperationNamedAsTheFaultsGetsItsOwnDelayAndTheOthersKeepTheCommonOne() {
        SimCloud cloud = bind(Map.of("vcc.sim.operation-delay", "20ms", "vcc.sim.operation-delays.delete-vm", "2s"));

        assertThat(cloud.operationDelays()).containsExactly(Map.entry("delete-vm", Duration.ofSeconds(2)));
        assertThat(cloud.operationDelay()).isEqualTo(Duration.ofMillis(20));
    }

    @Test
    void withoutPerOperationDelaysEveryOperationTakesTheCommonOne() {
        SimCloud cloud = bind(Map.of());

        assertThat(cloud.operationDelays()).isEmpty();
        assertThat(cloud.operationDelay()).isEqualTo(Duration.ofMillis(200));
    }

    private static SimCloud bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties)).bindOrCreate("vcc.sim", SimCloud.class);
    }
}

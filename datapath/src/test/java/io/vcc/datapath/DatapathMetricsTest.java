package io.vcc.datapath;

import static io.vcc.datapath.TwoClouds.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vcc.datapath.frame.SeedFrames;
import io.vcc.datapath.frame.Vxlan;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DatapathMetricsTest {

    @Test
    void countersAppearAsMetersThatFollowTheTagMap() {
        TwoClouds clouds = new TwoClouds();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new DatapathMetrics(clouds.a.counters).bindTo(registry);

        byte[] frame = SeedFrames.FRAME_700.toBytes();
        clouds.send(clouds.a, Vxlan.encapsulate(A_ACME_VNI, frame), A_ACME_VTEP_1);
        clouds.a.fromLocal(new byte[3], A_ACME_VTEP_1);

        assertThat(registry.get("vcc.datapath.frames.received").tags("segment", "5001", "network", "acme/net", "from", "local")
                .functionCounter().count()).isEqualTo(1.0);
        assertThat(registry.get("vcc.datapath.bytes.sent").tags("segment", "5001", "to", "tunnel")
                .functionCounter().count()).isEqualTo(frame.length);
        assertThat(registry.get("vcc.datapath.frames.dropped").tags("segment", "none", "reason", "truncated")
                .functionCounter().count()).isEqualTo(1.0);

        clouds.a.tagMap.putSegment(new Segment("initech/net", 5009, 100, 900, List.of(A_ACME_VTEP_1), Set.of()));
        assertThat(registry.find("vcc.datapath.frames.received").tags("segment", "5009").functionCounters()).hasSize(2);
        clouds.a.tagMap.removeSegment(5009);
        assertThat(registry.find("vcc.datapath.frames.received").tags("segment", "5009").functionCounters()).isEmpty();
        assertThat(registry.find("vcc.datapath.frames.received").tags("segment", "5001").functionCounters()).hasSize(2);
    }
}

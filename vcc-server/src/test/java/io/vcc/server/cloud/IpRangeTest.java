package io.vcc.server.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IpRangeTest {

    @Test
    void onlyPlainLiteralsAreAddressesSoThatNoNameOrOddFormIsResolvedLater() {
        assertThat(IpLiteral.parse("10.1.2.3")).isPresent();
        assertThat(IpLiteral.parse("fd00::1")).isPresent();
        assertThat(IpLiteral.parse("::ffff:127.0.0.1")).hasValueSatisfying(a -> assertThat(a.isLoopbackAddress()).isTrue());
        for (String odd : new String[] {"localhost", "127.1", "2130706433", "0x7f.0.0.1", "010.1.1.1", "1.2.3.4.5", "256.1.1.1",
                "fe80::1%eth0", "[::1]", "1:2", "", "example.com"}) {
            assertThat(IpLiteral.parse(odd)).as(odd).isEmpty();
        }
    }

    @Test
    void aRangeIsCanonicalAndKnowsItsMembersAndEdges() {
        IpRange range = IpRange.parse("10.20.0.0/16").orElseThrow();
        assertThat(range.contains(IpLiteral.parse("10.20.255.1").orElseThrow())).isTrue();
        assertThat(range.contains(IpLiteral.parse("10.21.0.1").orElseThrow())).isFalse();
        assertThat(range.contains(IpLiteral.parse("fd00::1").orElseThrow())).isFalse();
        assertThat(range.isSubnetEdge(IpLiteral.parse("10.20.255.255").orElseThrow())).isTrue();
        assertThat(range.isSubnetEdge(IpLiteral.parse("10.20.0.0").orElseThrow())).isTrue();
        assertThat(range.isSubnetEdge(IpLiteral.parse("10.20.0.1").orElseThrow())).isFalse();
        assertThat(IpRange.parse("10.20.0.7/32").orElseThrow().isSubnetEdge(IpLiteral.parse("10.20.0.7").orElseThrow())).isFalse();

        IpRange v6 = IpRange.parse("fd00:20::/48").orElseThrow();
        assertThat(v6.contains(IpLiteral.parse("fd00:20:0:1::5").orElseThrow())).isTrue();
        assertThat(v6.contains(IpLiteral.parse("fd00:21::5").orElseThrow())).isFalse();
        assertThat(IpRange.parse("0.0.0.0/0").orElseThrow().contains(IpLiteral.parse("8.8.8.8").orElseThrow())).isTrue();

        for (String bad : new String[] {"10.20.0.1/16", "10.0.0.0/33", "10.0.0.0", "10.0.0.0/", "10.0.0.0/-1", "host/24", "fd00::/129"}) {
            assertThat(IpRange.parse(bad)).as(bad).isEmpty();
        }
    }
}

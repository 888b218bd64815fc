package io.vcc.ovf;

import io.vcc.ovf.OvfException.Reason;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AllocationUnitsTest {

    @ParameterizedTest(name = "''{0}'' = {1} bytes")
    @CsvSource(delimiter = '|', value = {
            "byte                | 1",
            "bytes               | 1",
            "byte * 2^10         | 1024",
            "byte * 2^20         | 1048576",
            "byte*2^20           | 1048576",
            "byte  *  2 ^ 30     | 1073741824",
            "byte * 2^40         | 1099511627776",
            "byte * 10^6         | 1000000",
            "byte * 10^9         | 1000000000",
            "byte * 1024         | 1024",
            "byte * 1024 * 1024  | 1048576",
            "KiloBytes           | 1024",
            "MegaBytes           | 1048576",
            "megabytes           | 1048576",
            "GigaBytes           | 1073741824",
            "TeraBytes           | 1099511627776",
            "MB                  | 1048576",
    })
    void resolvesUnits(String units, long bytes) {
        assertThat(AllocationUnits.multiplier(units)).isEqualTo(bytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " "})
    void blankMeansBytes(String units) {
        assertThat(AllocationUnits.multiplier(units)).isEqualTo(1);
        assertThat(AllocationUnits.multiplier(null)).isEqualTo(1);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "40    | byte * 2^30 | 42949672960",
            "4096  | byte * 2^20 | 4294967296",
            "2048  | MegaBytes   | 2147483648",
            "10240 | byte * 2^20 | 10737418240",
    })
    void convertsQuantities(long quantity, String units, long bytes) {
        assertThat(AllocationUnits.toBytes(quantity, units)).isEqualTo(bytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"hertz * 10^6", "byte / 2", "byte * 2^-1", "percent", "byte * x", "bit * 2^20"})
    void refusesUnitsThatAreNotByteMultiples(String units) {
        assertThatThrownBy(() -> AllocationUnits.multiplier(units))
                .isInstanceOfSatisfying(OvfException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED));
    }

    @ParameterizedTest
    @ValueSource(strings = {"byte * 2^64", "byte * 10^19", "byte * 2^40 * 2^40"})
    void refusesMultipliersBeyond64Bits(String units) {
        assertThatThrownBy(() -> AllocationUnits.multiplier(units))
                .isInstanceOfSatisfying(OvfException.class, e -> assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "9223372036854775807 | byte * 2^20",
            "17179869184         | byte * 2^30",
    })
    void refusesQuantitiesBeyond64Bits(long quantity, String units) {
        assertThatThrownBy(() -> AllocationUnits.toBytes(quantity, units))
                .isInstanceOfSatisfying(OvfException.class, e -> assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE));
    }
}

package io.vcc.node.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ByteRangeTest {

    @Test
    void singleRangesOfEveryForm() {
        assertThat(ByteRange.of("bytes=0-99", 1000)).isEqualTo(new ByteRange.Partial(new ByteRange(0, 99)));
        assertThat(ByteRange.of("bytes=900-", 1000)).isEqualTo(new ByteRange.Partial(new ByteRange(900, 999)));
        assertThat(ByteRange.of("bytes=-100", 1000)).isEqualTo(new ByteRange.Partial(new ByteRange(900, 999)));
        assertThat(ByteRange.of("bytes=-5000", 1000)).isEqualTo(new ByteRange.Partial(new ByteRange(0, 999)));
        assertThat(ByteRange.of("bytes=990-5000", 1000)).isEqualTo(new ByteRange.Partial(new ByteRange(990, 999)));
        assertThat(new ByteRange(990, 999).contentRange(1000)).isEqualTo("bytes 990-999/1000");
    }

    @Test
    void unsatisfiableAndIgnoredRanges() {
        assertThat(ByteRange.of("bytes=1000-", 1000)).isInstanceOf(ByteRange.Unsatisfiable.class);
        assertThat(ByteRange.of("bytes=-0", 1000)).isInstanceOf(ByteRange.Unsatisfiable.class);
        assertThat(ByteRange.of("bytes=99999999999999999999-", 1000)).isInstanceOf(ByteRange.Whole.class);
        assertThat(ByteRange.of(null, 1000)).isInstanceOf(ByteRange.Whole.class);
        assertThat(ByteRange.of("bytes=0-1,5-9", 1000)).isInstanceOf(ByteRange.Whole.class);
        assertThat(ByteRange.of("bytes=9-5", 1000)).isInstanceOf(ByteRange.Whole.class);
        assertThat(ByteRange.of("items=0-5", 1000)).isInstanceOf(ByteRange.Whole.class);
        // more digits than a long holds, at either end: the whole file, never an error
        assertThat(ByteRange.of("bytes=0-" + "9".repeat(40), 1000)).isInstanceOf(ByteRange.Whole.class);
        assertThat(ByteRange.of("bytes=" + "9".repeat(7000) + "-", 1000)).isInstanceOf(ByteRange.Whole.class);
    }
}

package io.vcc.datapath.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReplayWindowTest {

    @Test
    void acceptsEachNumberOnceInAnyOrderWithinTheWindow() {
        ReplayWindow window = new ReplayWindow();
        assertThat(window.accept(1000)).isTrue();
        assertThat(window.accept(1000)).isFalse();
        assertThat(window.accept(998)).isTrue();
        assertThat(window.accept(1001)).isTrue();
        assertThat(window.accept(999)).isTrue();
        assertThat(window.accept(998)).isFalse();
        assertThat(window.mayAccept(997)).isTrue();
        assertThat(window.mayAccept(999)).isFalse();
    }

    @Test
    void refusesNumbersThatFellOutOfTheWindow() {
        ReplayWindow window = new ReplayWindow();
        window.accept(10);
        window.accept(10 + ReplayWindow.SIZE);
        assertThat(window.accept(10)).isFalse();
        assertThat(window.accept(11)).isTrue();
        assertThat(window.accept(1_000_000)).isTrue();
        assertThat(window.accept(11 + ReplayWindow.SIZE)).isFalse();
        assertThat(window.accept(-1)).isFalse();
    }

    @Test
    void agreesWithASetOverRandomReorderedTraffic() {
        Random random = new Random(7);
        ReplayWindow window = new ReplayWindow();
        Set<Long> seen = new HashSet<>();
        long highest = -1;
        for (int i = 0; i < 200_000; i++) {
            long sequence = Math.max(0, highest + random.nextInt(200) - 150);
            if (random.nextInt(50) == 0) {
                sequence += random.nextInt(10_000);
            }
            boolean expected = !seen.contains(sequence) && (highest < 0 || highest - sequence < ReplayWindow.SIZE);
            assertThat(window.mayAccept(sequence)).isEqualTo(expected);
            assertThat(window.accept(sequence)).as("sequence %d after highest %d", sequence, highest).isEqualTo(expected);
            if (expected) {
                seen.add(sequence);
                highest = Math.max(highest, sequence);
            }
        }
    }
}

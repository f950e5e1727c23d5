package org.medibridge.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SequenceRewriterTest {

    static Stream<Arguments> staleCases() {
        return Stream.of(
                // start (in), packets forwarded after it, probe (in), before the start?
                Arguments.of(100, 10, 99, true),
                Arguments.of(100, 10, 100, false),
                Arguments.of(100, 10, 105, false),
                Arguments.of(65535, 10, 65534, true),       // start just before the wrap
                Arguments.of(65535, 10, 3, false),
                Arguments.of(100, 32_767, 100 + 32_767, false),
                // Past half the sequence space, 16-bit comparison with the start flips; the leg must not.
                Arguments.of(100, 32_769, (100 + 32_769) & 0xFFFF, false),
                Arguments.of(100, 40_000, (100 + 40_000) & 0xFFFF, false),
                Arguments.of(100, 70_000, (100 + 70_000) & 0xFFFF, false),
                Arguments.of(100, 70_000, (100 + 70_000 - 50) & 0xFFFF, false));  // reordered, still after the start
    }

    @ParameterizedTest(name = "start {0}, +{1} packets, probe {2} -> before start: {3}")
    @MethodSource("staleCases")
    void beforeStartIsJudgedOnTheUnwrappedPosition(int start, int forwarded, int probe, boolean before) {
        SequenceRewriter r = new SequenceRewriter();
        r.start(start, 7);
        for (int i = 1; i <= forwarded; i++) {
            r.rewrite((start + i) & 0xFFFF);
        }
        assertThat(r.isBeforeStart(probe)).isEqualTo(before);
    }

    @Test
    void continuousAcrossTheWrapAndSkipsLeaveNoHole() {
        SequenceRewriter r = new SequenceRewriter();
        r.start(65534, 1000);
        assertThat(r.rewrite(65534)).isEqualTo(1000);
        assertThat(r.rewrite(65535)).isEqualTo(1001);
        r.skip(0);                                     // padding-only: not forwarded
        assertThat(r.rewrite(1)).isEqualTo(1002);
        assertThat(r.rewrite(3)).isEqualTo(1004);      // a real loss stays a hole
        assertThat(r.rewrite(2)).isEqualTo(1003);      // late packet fills it
        r.skip(2);                                     // an old skip changes nothing
        assertThat(r.rewrite(4)).isEqualTo(1005);
    }

    /**
     * A packet repaired by RTX arrives a round trip late, after padding was skipped: it goes out
     * with the number it would have had on time, not one that collides with a neighbour.
     */
    @Test
    void aLatePacketBehindSkipsKeepsItsOnTimeNumber() {
        SequenceRewriter r = new SequenceRewriter();
        r.start(100, 500);
        assertThat(r.rewrite(100)).isEqualTo(500);
        // 101 is lost
        assertThat(r.rewrite(102)).isEqualTo(502);
        r.skip(103);                                   // padding
        r.skip(104);
        assertThat(r.rewrite(105)).isEqualTo(503);
        assertThat(r.rewrite(101)).isEqualTo(501);     // the repair: the hole it left
        assertThat(r.rewrite(106)).isEqualTo(504);
    }

    @Test
    void aLatePacketBehindTooManySkipsIsRefused() {
        SequenceRewriter r = new SequenceRewriter();
        r.start(65000, 0);
        r.rewrite(65000);
        r.rewrite(65002);
        for (int i = 0; i <= SequenceRewriter.SKIP_HISTORY; i++) {
            r.skip((65003 + i) & 0xFFFF);
        }
        assertThat(r.rewrite(65001)).isEqualTo(-1);
    }
}

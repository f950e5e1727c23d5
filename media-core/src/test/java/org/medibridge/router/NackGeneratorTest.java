package org.medibridge.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Table-driven: each case is a script of steps, times in milliseconds.
 * <pre>
 *   r 10 @0        media packet 10 arrives at 0 ms      (expect=NEW|FILLED|NOT_MISSING optional)
 *   k 20 @0        media packet 20, first of a key frame
 *   x 12 @50       RTX repair of 12 arrives at 50 ms
 *   y 12 @50       RTX repair of 12, the first packet of a key frame
 *   n @10 = 11 12  a tick at 10 ms requests exactly 11 and 12 ("=" alone: nothing)
 *   c nacks=2 recovered=1 reordered=0 givenUp=0 missing=1   counters
 * </pre>
 */
class NackGeneratorTest {
    static Stream<Arguments> scripts() {
        return Stream.of(
                Arguments.of("no gap, nothing to ask", """
                        r 1 @0
                        r 2 @1
                        r 3 @2
                        n @50 =
                        c nacks=0 missing=0
                        """),
                Arguments.of("a gap is requested after the reorder delay", """
                        r 10 @0
                        r 13 @1
                        n @2 =
                        n @20 = 11 12
                        c nacks=2 missing=2
                        """),
                Arguments.of("a reordered packet is no loss", """
                        r 10 @0
                        r 12 @1
                        r 11 @2 FILLED
                        n @20 =
                        c nacks=0 reordered=1 missing=0
                        """),
                Arguments.of("wrap-around", """
                        r 65534 @0
                        r 1 @1
                        n @20 = 65535 0
                        x 0 @40 FILLED
                        x 65535 @41 FILLED
                        c nacks=2 recovered=2 missing=0
                        """),
                Arguments.of("retries once per RTT (default 100 ms), then gives up", """
                        r 1 @0
                        r 3 @0
                        n @20 = 2
                        n @40 =
                        n @119 =
                        n @120 = 2
                        n @220 = 2
                        n @320 = 2
                        n @420 = 2
                        n @520 = 2
                        n @620 = 2
                        n @720 = 2
                        n @820 = 2
                        n @920 = 2
                        c nacks=10 missing=1
                        n @1000 =
                        c givenUp=0 missing=1
                        n @1001 =
                        c givenUp=1 missing=0
                        x 2 @1010 NOT_MISSING
                        """),
                Arguments.of("ten requests, one RTT more, then given up", """
                        r 1 @0
                        r 3 @0
                        n @20 = 2
                        x 2 @30 FILLED
                        r 5 @30
                        n @40 = 4
                        n @50 = 4
                        n @60 = 4
                        n @70 = 4
                        n @80 = 4
                        n @90 = 4
                        n @100 = 4
                        n @110 = 4
                        n @120 = 4
                        n @130 = 4
                        n @139 =
                        c nacks=11 recovered=1 givenUp=0 missing=1
                        n @140 =
                        c givenUp=1 missing=0
                        """),
                Arguments.of("a repair after one request sets the RTT", """
                        r 1 @0
                        r 3 @0
                        n @20 = 2
                        x 2 @50 FILLED
                        r 5 @60
                        n @80 = 4
                        n @109 =
                        n @110 = 4
                        c nacks=3 recovered=1
                        """),
                Arguments.of("a key frame clears what is older", """
                        r 1 @0
                        r 5 @0
                        k 6 @1
                        n @30 =
                        x 3 @40 NOT_MISSING
                        c givenUp=3 missing=0
                        """),
                Arguments.of("an RTX key frame start does not clear newer losses", """
                        r 1 @0
                        r 4 @0
                        n @20 = 2 3
                        y 2 @30 FILLED
                        c recovered=1 missing=1
                        """),
                Arguments.of("duplicates and the newest packet again are not missing", """
                        r 7 @0
                        r 7 @1 NOT_MISSING
                        r 9 @2
                        r 7 @3 NOT_MISSING
                        x 9 @4 NOT_MISSING
                        c missing=1
                        """),
                Arguments.of("a jump of 1000 or more forgets everything", """
                        r 1 @0
                        r 3 @0
                        r 2000 @1
                        n @30 =
                        c givenUp=1 missing=0
                        """),
                Arguments.of("nothing older than a second is asked for", """
                        r 1 @0
                        r 3 @0
                        n @1001 =
                        c givenUp=1 missing=0
                        """));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scripts")
    void runs(String name, String script) {
        NackGenerator g = new NackGenerator();
        int[] out = new int[64];
        int line = 0;
        for (String raw : script.strip().split("\n")) {
            line++;
            String[] t = raw.strip().split("\\s+");
            String at = name + ", line " + line + ": " + raw.strip();
            switch (t[0]) {
                case "r", "k", "x", "y" -> {
                    boolean key = t[0].equals("k") || t[0].equals("y");
                    boolean rtx = t[0].equals("x") || t[0].equals("y");
                    int result = g.onReceived(Integer.parseInt(t[1]), key, rtx, ms(t[2]));
                    if (t.length > 3) {
                        assertThat(name(result)).as(at).isEqualTo(t[3]);
                    }
                }
                case "n" -> {
                    int n = g.collect(ms(t[1]), out);
                    List<Integer> expected = new ArrayList<>();
                    for (int i = 3; i < t.length; i++) {
                        expected.add(Integer.parseInt(t[i]));
                    }
                    assertThat(Arrays.stream(out, 0, n).boxed().toList()).as(at).isEqualTo(expected);
                }
                case "c" -> {
                    for (int i = 1; i < t.length; i++) {
                        String[] kv = t[i].split("=");
                        long actual = switch (kv[0]) {
                            case "nacks" -> g.nacksSent();
                            case "recovered" -> g.recovered();
                            case "reordered" -> g.reordered();
                            case "givenUp" -> g.givenUp();
                            case "missing" -> g.missingCount();
                            default -> throw new IllegalArgumentException(kv[0]);
                        };
                        assertThat(actual).as(at + " " + kv[0]).isEqualTo(Long.parseLong(kv[1]));
                    }
                }
                default -> throw new IllegalArgumentException(raw);
            }
        }
    }

    @Test
    void rttFollowsTheRepairs() {
        NackGenerator g = new NackGenerator();
        int[] out = new int[8];
        g.onReceived(1, false, false, 0);
        g.onReceived(3, false, false, 0);
        g.collect(ms("@20"), out);
        g.onReceived(2, false, true, ms("@60"));
        assertThat(g.rttNanos()).isEqualTo(40_000_000L);
        // A second sample moves the estimate by an eighth of the difference.
        g.onReceived(5, false, false, ms("@100"));
        g.collect(ms("@120"), out);
        g.onReceived(4, false, true, ms("@200"));
        assertThat(g.rttNanos()).isEqualTo((7 * 40_000_000L + 80_000_000L) / 8);
    }

    /** An entry 1000 packets behind the newest is past any jitter buffer. */
    @Test
    void entriesFallOutAThousandPacketsBehind() {
        NackGenerator g = new NackGenerator();
        g.onReceived(1, false, false, 0);
        g.onReceived(3, false, false, 0);
        for (int s = 4; s <= 1001; s++) {
            assertThat(g.onReceived(s, false, false, 0)).isEqualTo(NackGenerator.NEW);
        }
        assertThat(g.missingCount()).isEqualTo(1); // 2 is 999 behind
        g.onReceived(1002, false, false, 0);
        assertThat(g.missingCount()).isZero();
        assertThat(g.givenUp()).isEqualTo(1);
        assertThat(g.onReceived(2, false, true, 0)).isEqualTo(NackGenerator.NOT_MISSING);
    }

    /** At most {@code out.length} per tick; the rest follow on the next one. */
    @Test
    void aLongBurstIsRequestedInPieces() {
        NackGenerator g = new NackGenerator();
        int[] out = new int[4];
        g.onReceived(100, false, false, 0);
        g.onReceived(110, false, false, 0);
        assertThat(g.collect(ms("@20"), out)).isEqualTo(4);
        assertThat(out).containsExactly(101, 102, 103, 104);
        assertThat(g.collect(ms("@40"), out)).isEqualTo(4);
        assertThat(out).containsExactly(105, 106, 107, 108);
        assertThat(g.collect(ms("@60"), out)).isEqualTo(1);
        assertThat(out[0]).isEqualTo(109);
    }

    private static long ms(String at) {
        return Long.parseLong(at.substring(1)) * 1_000_000L;
    }

    private static String name(int result) {
        return switch (result) {
            case NackGenerator.NEW -> "NEW";
            case NackGenerator.FILLED -> "FILLED";
            case NackGenerator.NOT_MISSING -> "NOT_MISSING";
            default -> "?" + result;
        };
    }
}

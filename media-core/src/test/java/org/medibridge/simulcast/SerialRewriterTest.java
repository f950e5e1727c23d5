package org.medibridge.simulcast;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SerialRewriterTest {

    /**
     * A script per width: "s" forwards (expected output after ':'), "x" skips, "n" asserts the
     * next output, "b" asserts before-start, "a" re-anchors at nextOut.
     */
    @ParameterizedTest(name = "{0} bits: {1}")
    @CsvSource(delimiter = '|', textBlock = """
        16 | 65534>1000 s65534:1000 s65535:1001 x0 s1:1002 s3:1004 s2:1003 x2 s4:1005 n1006
        16 | 10>65535 s10:65535 s11:0 x12 s13:1 b9 n2 a500 s500:2 s501:3 b499
        15 | 32766>32767 s32766:32767 x32767 s0:0 s1:1 n2 a5 s5:2
        7  | 126>0 s126:0 x127 x0 s1:1 s2:2 n3 a100 s100:3 s101:4 x102 s103:5 s0:30
        8  | 255>254 s255:254 s0:255 s1:0 n1
        16 | 100>0 s100:0 s102:2 x103 x104 s105:3 s101:1 s106:4
        16 | 65534>7 s65534:7 s0:9 x1 s2:10 s65535:8 x3 s4:11 s65535:8 s0:9
        7  | 120>0 s120:0 s122:2 x123 x124 x125 s126:3 s121:1 s127:4
        """)
    void mapsContinuously(int bits, String script) {
        SerialRewriter r = new SerialRewriter();
        for (String tok : script.trim().split("\\s+")) {
            char c = tok.charAt(0);
            if (Character.isDigit(c)) {
                String[] io = tok.split(">");
                r.start(bits, Integer.parseInt(io[0]), Integer.parseInt(io[1]));
            } else if (c == 's') {
                String[] io = tok.substring(1).split(":");
                assertThat(r.rewrite(Integer.parseInt(io[0]))).as(tok).isEqualTo(Integer.parseInt(io[1]));
            } else if (c == 'x') {
                r.skip(Integer.parseInt(tok.substring(1)));
            } else if (c == 'n') {
                assertThat(r.nextOut()).as(tok).isEqualTo(Integer.parseInt(tok.substring(1)));
            } else if (c == 'b') {
                assertThat(r.isBeforeStart(Integer.parseInt(tok.substring(1)))).as(tok).isTrue();
            } else if (c == 'a') {
                r.start(bits, Integer.parseInt(tok.substring(1)), r.nextOut());
            }
        }
    }

    /** A late value behind more skips than remembered cannot be placed: -1, never a wrong number. */
    @org.junit.jupiter.api.Test
    void aValueBehindTooManySkipsIsRefused() {
        SerialRewriter r = new SerialRewriter();
        r.start(16, 1000, 0);
        assertThat(r.rewrite(1002)).isEqualTo(2);
        int skips = SerialRewriter.SKIP_HISTORY;
        for (int i = 0; i < skips; i++) {
            r.skip(1003 + i);
        }
        // 1001 (lost) still placeable: every skip after it is remembered.
        assertThat(r.rewrite(1001)).isEqualTo(1);
        r.skip(1003 + skips);
        assertThat(r.rewrite(1001)).isEqualTo(-1);
        // Newer than the oldest remembered skip: fine.
        assertThat(r.rewrite(1004 + skips)).isEqualTo(3);
    }

    @ParameterizedTest(name = "{0} bits, {1} values")
    @CsvSource({"16, 70000", "15, 40000", "7, 300", "8, 1000"})
    void farPastHalfTheSpaceNothingIsBeforeTheStart(int bits, int n) {
        SerialRewriter r = new SerialRewriter();
        int mask = (1 << bits) - 1;
        r.start(bits, 5, 0);
        for (int i = 0; i <= n; i++) {
            assertThat(r.rewrite((5 + i) & mask)).isEqualTo(i & mask);
        }
        assertThat(r.isBeforeStart((5 + n) & mask)).isFalse();
        assertThat(r.isBeforeStart((5 + n - 3) & mask)).isFalse();
    }
}

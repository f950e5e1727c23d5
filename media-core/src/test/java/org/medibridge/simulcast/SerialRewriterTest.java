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

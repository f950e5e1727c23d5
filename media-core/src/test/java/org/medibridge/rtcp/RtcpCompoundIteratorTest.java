package org.medibridge.rtcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.medibridge.rtp.TestBytes.hex;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RtcpCompoundIteratorTest {
    private final RtcpCompoundIterator it = new RtcpCompoundIterator();

    @Test
    void walksCompound() {
        byte[] buf = new byte[200];
        int off = 5;
        int n = 0;
        n += SenderReport.write(buf, off + n, 1, 2, 3, 4, 5);
        n += Sdes.writeCname(buf, off + n, 1, "x");
        n += Pli.write(buf, off + n, 1, 2);
        n += GenericNack.write(buf, off + n, 1, 2, new int[] {9}, 1);
        n += Bye.write(buf, off + n, 1);
        assertThat(it.reset(buf, off, n)).isTrue();
        int[][] expected = {{200, 0, 28}, {202, 1, 12}, {206, 1, 12}, {205, 1, 16}, {203, 1, 8}};
        int at = off;
        for (int[] e : expected) {
            assertThat(it.next()).isTrue();
            assertThat(it.packetType()).isEqualTo(e[0]);
            assertThat(it.fmt()).isEqualTo(e[1]);
            assertThat(it.packetLength()).isEqualTo(e[2]);
            assertThat(it.packetOffset()).isEqualTo(at);
            at += e[2];
        }
        assertThat(it.next()).isFalse();
        assertThat(it.next()).isFalse();

        // Reusable: a second reset starts over.
        assertThat(it.reset(buf, off, 28)).isTrue();
        assertThat(it.next()).isTrue();
        assertThat(it.next()).isFalse();
    }

    @Test
    void acceptsPaddingOnLastPacket() {
        byte[] b = hex("""
                A1 CE 00 03   // V=2 P=1 FMT=1 | PSFB | length 3 (16 bytes)
                00 00 00 01   // sender
                00 00 00 02   // media
                00 00 00 04   // 4 bytes of padding, count included
                """);
        assertThat(it.reset(b, 0, b.length)).isTrue();
        assertThat(it.next()).isTrue();
        assertThat(it.packetLength()).isEqualTo(16);
        Pli pli = new Pli();
        assertThat(pli.wrap(b, it.packetOffset(), it.packetLength())).isTrue();
        assertThat(pli.mediaSsrc()).isEqualTo(2L);
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("empty", hex(""), 0, 0),
                Arguments.of("3 bytes", hex("81 C9 00"), 0, 3),
                Arguments.of("version 1", hex("41 C9 00 01 00 00 00 01"), 0, 8),
                Arguments.of("length overruns datagram", hex("81 C9 00 07 00 00 00 01"), 0, 8),
                Arguments.of("trailing bytes", hex("80 C9 00 01 00 00 00 01 00 00"), 0, 10),
                Arguments.of("second packet bad version", hex("80 C9 00 01 00 00 00 01 01 C9 00 01 00 00 00 01"), 0, 16),
                Arguments.of("second packet overruns", hex("80 C9 00 01 00 00 00 01 80 C9 00 02 00 00 00 01"), 0, 16),
                Arguments.of("padding count 0", hex("A0 C9 00 01 00 00 00 00"), 0, 8),
                Arguments.of("padding larger than packet", hex("A0 C9 00 01 00 00 00 09"), 0, 8),
                Arguments.of("len beyond array", hex("80 C9 00 01 00 00 00 01"), 0, 12),
                Arguments.of("offset beyond array", hex("80 C9 00 01 00 00 00 01"), 4, 8),
                Arguments.of("null", null, 0, 8));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void rejectsMalformed(String name, byte[] buf, int off, int len) {
        assertThat(it.reset(buf, off, len)).isFalse();
        assertThat(it.next()).isFalse();
    }
}

package org.medibridge.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SmallHelpersTest {
    @ParameterizedTest(name = "isNewer({0}, {1}) = {2}, diff = {3}")
    @CsvSource({
            "1,     0,     true,  1",
            "0,     1,     false, -1",
            "0,     65535, true,  1",      // wrap-around
            "65535, 0,     false, -1",
            "100,   100,   false, 0",
            "32767, 0,     true,  32767",
            "32768, 0,     true,  -32768",  // exactly half-way: tie broken on raw value
            "0,     32768, false, -32768",
            "40000, 0,     false, -25536",
    })
    void serialArithmetic(int a, int b, boolean newer, int diff) {
        assertThat(SequenceNumbers.isNewer(a, b)).isEqualTo(newer);
        assertThat(SequenceNumbers.diff(a, b)).isEqualTo(diff);
    }

    @Test
    void unsignedReadsAndWrites() {
        byte[] b = new byte[8];
        Bytes.writeUint32(b, 0, 0xFFFFFFFFL);
        assertThat(Bytes.readUint32(b, 0)).isEqualTo(0xFFFFFFFFL);
        Bytes.writeUint24(b, 4, 0xABCDEF);
        assertThat(Bytes.readUint24(b, 4)).isEqualTo(0xABCDEF);
        Bytes.writeUint16(b, 6, 0xFFFE);
        assertThat(Bytes.readUint16(b, 6)).isEqualTo(0xFFFE);
        Bytes.writeInt64(b, 0, 0x8000000000000001L);
        assertThat(Bytes.readInt64(b, 0)).isEqualTo(0x8000000000000001L);
    }

    @ParameterizedTest(name = "{0} ns -> 0x{1}")
    @CsvSource({
            "0,             000000",
            "1500000000,    060000",  // 1.5 s = 1 << 18 | 0.5 * 2^18
            "63999999999,   FFFFFF",  // just under the 64 s wrap (rounds down)
            "64000000000,   000000",  // wraps every 64 s
            "65250000000,   050000",  // 1.25 s after the wrap
    })
    void absSendTime(long nanos, String hex) {
        byte[] b = new byte[5];
        AbsSendTime.write(b, 1, nanos);
        assertThat(AbsSendTime.read(b, 1)).isEqualTo(Integer.parseInt(hex, 16));
        assertThat(b[0]).isZero();
        assertThat(b[4]).isZero();
    }
}

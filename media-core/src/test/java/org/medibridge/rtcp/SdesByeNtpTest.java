package org.medibridge.rtcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.medibridge.rtp.TestBytes.hex;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SdesByeNtpTest {
    @Test
    void sdesCnamePadsWithAtLeastOneNull() {
        byte[] out = new byte[32];
        assertThat(Sdes.writeCname(out, 0, 0x01020304L, "abc")).isEqualTo(16);
        assertThat(java.util.Arrays.copyOf(out, 16)).isEqualTo(hex("""
                81 CA 00 03   // V=2 SC=1 | PT=202 | length 3
                01 02 03 04   // SSRC
                01 03 61 62   // CNAME=1 | length 3 | 'a' 'b'
                63 00 00 00   // 'c' | null terminator and padding to 32 bits
                """));
        Sdes sdes = new Sdes();
        assertThat(sdes.wrap(out, 0, 16)).isTrue();
        assertThat(sdes.chunkCount()).isEqualTo(1);
        assertThat(sdes.firstSsrc()).isEqualTo(0x01020304L);
        int cname = sdes.firstCnameOffset();
        assertThat(new String(out, cname, out[cname - 1], StandardCharsets.UTF_8)).isEqualTo("abc");
    }

    @ParameterizedTest(name = "cname of {0} bytes -> {1}")
    @CsvSource({"0, 12", "1, 12", "2, 16", "5, 16", "6, 20", "255, 268"})
    void sdesLengths(int n, int expected) {
        byte[] out = new byte[300];
        java.util.Arrays.fill(out, (byte) 0x77);
        int written = Sdes.writeCname(out, 0, 1L, new byte[n]);
        assertThat(written).isEqualTo(expected).isEqualTo(Sdes.cnameLength(n));
        assertThat(out[written - 1]).isZero();  // item list ends with a null octet
        assertThat(new RtcpCompoundIterator().reset(out, 0, written)).isTrue();
    }

    @Test
    void bye() {
        byte[] out = new byte[16];
        assertThat(Bye.write(out, 0, 0xFFFFFFFFL)).isEqualTo(8);
        assertThat(java.util.Arrays.copyOf(out, 8)).isEqualTo(hex("81 CB 00 01 FF FF FF FF"));
        Bye bye = new Bye();
        assertThat(bye.wrap(out, 0, 8)).isTrue();
        assertThat(bye.ssrcCount()).isEqualTo(1);
        assertThat(bye.ssrc(0)).isEqualTo(0xFFFFFFFFL);
        assertThat(Bye.write(out, 0, new long[] {1, 2}, 2)).isEqualTo(12);
        assertThat(bye.wrap(out, 0, 12)).isTrue();
        assertThat(bye.ssrc(1)).isEqualTo(2L);
        out[0] = (byte) 0x83;  // claims 3 SSRCs in a 12-byte packet
        assertThat(bye.wrap(out, 0, 12)).isFalse();
    }

    @Test
    void ntpConversions() {
        assertThat(NtpTime.fromUnixMillis(0)).isEqualTo(2_208_988_800L << 32);
        assertThat(NtpTime.fromUnixMillis(1500)).isEqualTo(((2_208_988_800L + 1) << 32) | 0x80000000L);
        long now = 1_700_000_000_123L;
        assertThat(NtpTime.toUnixMillis(NtpTime.fromUnixMillis(now))).isBetween(now - 1, now);
        long nanos = 1_700_000_000_123_456_789L;
        assertThat(NtpTime.toUnixNanos(NtpTime.fromUnixNanos(nanos))).isBetween(nanos - 2, nanos);
        assertThat(NtpTime.compact(0xE12F9C80_80000000L)).isEqualTo(0x9C808000L);
        assertThat(NtpTime.nanosToCompact(1_500_000_000L)).isEqualTo(0x18000L);
        assertThat(NtpTime.nanosToCompact(-5)).isZero();
        assertThat(NtpTime.nanosToCompact(Long.MAX_VALUE)).isEqualTo(0xFFFFFFFFL);
        assertThat(NtpTime.compactToNanos(0x8000L)).isEqualTo(500_000_000L);
    }

    @Test
    void roundTripTimeFromReportBlock() {
        // RFC 3550 §6.4.1 example: A=0xb710:8000, LSR=0xb705:2000, DLSR=0x0005:4000 -> 0x0006:2000 (6.125 s)
        assertThat(NtpTime.rttCompact(0xB7108000L, 0xB7052000L, 0x00054000L)).isEqualTo(0x00062000L);
        assertThat(NtpTime.compactToNanos(0x00062000L)).isEqualTo(6_125_000_000L);
        assertThat(NtpTime.rttCompact(0xB7108000L, 0, 0)).isEqualTo(-1);
        assertThat(NtpTime.rttCompact(0x00000010L, 0x00000020L, 0)).isEqualTo(-1);
        // Across the 16.16 wrap.
        assertThat(NtpTime.rttCompact(0x00000010L, 0xFFFFFFF0L, 0x10)).isEqualTo(0x10L);
    }
}

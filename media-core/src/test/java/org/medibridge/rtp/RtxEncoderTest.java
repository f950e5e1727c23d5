package org.medibridge.rtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.medibridge.rtp.TestBytes.at;
import static org.medibridge.rtp.TestBytes.hex;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** RFC 4588 §4 retransmission packets and RFC 3550 §5.1 padding-only packets. */
class RtxEncoderTest {
    private static final long RTX_SSRC = 0x55667788L;
    private static final int RTX_PT = 97;

    static Stream<Arguments> vectors() {
        return Stream.of(
                Arguments.of("plain header", hex("""
                        80 60 12 34   // V=2, PT 96, seq 0x1234
                        00 00 30 39   // timestamp 12345
                        11 22 33 44   // SSRC
                        DE AD BE EF   // payload
                        """), 7, hex("""
                        80 61 00 07   // PT 97 (RTX), seq 7 (the RTX stream's own)
                        00 00 30 39   // timestamp kept
                        55 66 77 88   // RTX SSRC
                        12 34         // OSN: the original sequence number
                        DE AD BE EF   // original payload
                        """)),
                Arguments.of("marker, CSRC, extension and padding", hex("""
                        B1 E0 FF FF   // V=2 P X CC=1, M, PT 96, seq 65535
                        00 00 30 39
                        11 22 33 44
                        0A 0B 0C 0D   // CSRC
                        BE DE 00 01   // RFC 8285 one-byte form, 1 word
                        22 AA BB CC   // id 2, abs-send-time
                        01 02         // payload
                        00 00 03      // 3 bytes of padding
                        """), 0xFFFF, hex("""
                        B1 E1 FF FF   // marker kept, PT 97, RTX seq 65535
                        00 00 30 39
                        55 66 77 88
                        0A 0B 0C 0D   // CSRCs and extensions are the original's
                        BE DE 00 01
                        22 AA BB CC
                        FF FF         // OSN
                        01 02
                        00 00 03      // padding stays at the end
                        """)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void encodesInPlaceIntoTheHeadroomAndDecodesBack(String name, byte[] original, int rtxSeq, byte[] expected) {
        int off = 10;
        byte[] buf = at(off, original, 16);
        byte[] untouchedTail = Arrays.copyOfRange(buf, off + original.length, buf.length);

        int len = RtxEncoder.encode(buf, off, original.length, RTX_SSRC, RTX_PT, rtxSeq);

        assertThat(len).isEqualTo(original.length + 2);
        assertThat(Arrays.copyOfRange(buf, off - 2, off - 2 + len)).isEqualTo(expected);
        assertThat(Arrays.copyOfRange(buf, 0, off - 2)).as("headroom before the new start").containsOnly(0x5A);
        assertThat(Arrays.copyOfRange(buf, off + original.length, buf.length)).isEqualTo(untouchedTail);
        RtpPacket v = new RtpPacket();
        assertThat(v.wrap(buf, off - 2, len)).isTrue();
        assertThat(v.ssrc()).isEqualTo(RTX_SSRC);
        assertThat(v.payloadType()).isEqualTo(RTX_PT);
        assertThat(Bytes.readUint16(buf, v.payloadOffset())).as("OSN").isEqualTo(Bytes.readUint16(original, 2));

        int back = RtxEncoder.decode(buf, off - 2, len, Bytes.readUint32(original, 8), original[1] & 0x7F);
        assertThat(back).isEqualTo(original.length);
        assertThat(Arrays.copyOfRange(buf, off, off + back)).isEqualTo(original);
    }

    @Test
    void randomPacketsRoundTrip() {
        Random r = new Random(4588);
        for (int i = 0; i < 500; i++) {
            int csrcs = r.nextInt(3);
            int extWords = r.nextBoolean() ? r.nextInt(4) : -1;
            int payload = r.nextInt(1200);
            int padding = r.nextInt(4) == 0 ? 1 + r.nextInt(255) : 0;
            byte[] p = new byte[12 + 4 * csrcs + (extWords >= 0 ? 4 + 4 * extWords : 0) + payload + padding];
            r.nextBytes(p);
            p[0] = (byte) (0x80 | (padding > 0 ? 0x20 : 0) | (extWords >= 0 ? 0x10 : 0) | csrcs);
            if (extWords >= 0) {
                Bytes.writeUint16(p, 12 + 4 * csrcs + 2, extWords);
            }
            if (padding > 0) {
                p[p.length - 1] = (byte) padding;
            }
            byte[] buf = at(RtxEncoder.OSN_LENGTH, p, 0);
            int len = RtxEncoder.encode(buf, 2, p.length, RTX_SSRC, RTX_PT, i);
            assertThat(len).isEqualTo(p.length + 2);
            RtpPacket v = new RtpPacket();
            assertThat(v.wrap(buf, 0, len)).isTrue();
            assertThat(v.sequenceNumber()).isEqualTo(i);
            assertThat(v.payloadLength()).isEqualTo(payload + 2);
            assertThat(RtxEncoder.decode(buf, 0, len, Bytes.readUint32(p, 8), p[1] & 0x7F)).isEqualTo(p.length);
            assertThat(Arrays.copyOfRange(buf, 2, buf.length)).isEqualTo(p);
        }
    }

    @Test
    void refusesWithoutHeadroomOrForNonRtp() {
        byte[] p = hex("80 60 00 01 00 00 00 00 11 22 33 44 AA");
        byte[] copy = p.clone();
        assertThat(RtxEncoder.encode(p, 0, p.length, RTX_SSRC, RTX_PT, 1)).isEqualTo(-1);
        assertThat(p).isEqualTo(copy);
        byte[] notRtp = at(2, hex("40 60 00 01 00 00 00 00 11 22 33 44"), 0);
        assertThat(RtxEncoder.encode(notRtp, 2, 12, RTX_SSRC, RTX_PT, 1)).isEqualTo(-1);
        byte[] extPastEnd = at(2, hex("90 60 00 01 00 00 00 00 11 22 33 44 BE DE 00 05"), 0);
        assertThat(RtxEncoder.encode(extPastEnd, 2, 16, RTX_SSRC, RTX_PT, 1)).isEqualTo(-1);
        byte[] noOsn = hex("80 61 00 01 00 00 00 00 55 66 77 88 12");
        assertThat(RtxEncoder.decode(noOsn, 0, noOsn.length, 1, 96)).as("RTX payload shorter than the OSN").isEqualTo(-1);
    }

    @Test
    void paddingPacketVector() {
        byte[] buf = new byte[40 + 255];
        Arrays.fill(buf, (byte) 0x5A);
        int len = RtxEncoder.writePaddingPacket(buf, 3, RTX_SSRC, RTX_PT, 0x0102, 0xA0B0C0D0L, 2, 3, 8);
        assertThat(Arrays.copyOfRange(buf, 3, 3 + len)).isEqualTo(hex("""
                B0 61 01 02   // V=2, P, X, PT 97, seq 0x0102
                A0 B0 C0 D0   // timestamp
                55 66 77 88   // SSRC
                BE DE 00 02   // one-byte form, 2 words
                22 00 00 00   // id 2 len 3: abs-send-time, stamped when sent
                31 00 00 00   // id 3 len 2: transport-wide seq, stamped when sent; 1 byte of element padding
                00 00 00 00   // RTP padding (RFC 3550 §5.1) ...
                00 00 00 08   // ... its last octet counts itself: 8
                """));
        assertThat(buf[2]).isEqualTo((byte) 0x5A);
        assertThat(buf[3 + len]).isEqualTo((byte) 0x5A);

        RtpPacket v = new RtpPacket();
        assertThat(v.wrap(buf, 3, len)).isTrue();
        assertThat(v.payloadLength()).as("padding only").isZero();
        assertThat(v.paddingLength()).isEqualTo(8);
        assertThat(v.extensionLength(2)).isEqualTo(3);
        assertThat(v.extensionLength(3)).isEqualTo(2);
    }

    @Test
    void largestPaddingPacketAndNoExtensions() {
        byte[] buf = new byte[12 + 255];
        Arrays.fill(buf, (byte) 0x77);
        int len = RtxEncoder.writePaddingPacket(buf, 0, RTX_SSRC, RTX_PT, 1, 0, 0, 0, RtxEncoder.MAX_PADDING);
        assertThat(len).isEqualTo(12 + 255);
        assertThat(buf[0]).isEqualTo((byte) 0xA0);  // V=2, P, no X
        RtpPacket v = new RtpPacket();
        assertThat(v.wrap(buf, 0, len)).isTrue();
        assertThat(v.paddingLength()).isEqualTo(255);
        assertThat(Arrays.copyOfRange(buf, 12, len - 1)).containsOnly(0);
    }
}

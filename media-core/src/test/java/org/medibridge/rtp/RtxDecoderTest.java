package org.medibridge.rtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.medibridge.rtp.TestBytes.at;
import static org.medibridge.rtp.TestBytes.hex;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 4588 §4: an RTX packet is the original header (new SSRC, PT, sequence), the OSN, the original payload. */
class RtxDecoderTest {
    /** The original: one CSRC, one RFC 8285 one-byte extension element, marker set, PT 96. */
    static final byte[] ORIGINAL = hex("""
            91 E0 12 34   // V=2 P=0 X=1 CC=1 | M=1 PT=96 | seq 0x1234
            11 22 33 44   // timestamp
            AA BB CC DD   // SSRC
            01 02 03 04   // CSRC
            BE DE 00 01   // one-byte extensions, 1 word
            31 0A 0B 00   // id 3, len 2: 0A 0B, one byte of padding
            DE AD BE EF   // payload
            """);

    /** The same packet retransmitted on SSRC 0x55667788, PT 97, sequence 7. */
    static final byte[] RTX = hex("""
            91 E1 00 07   // M=1 PT=97 | RTX sequence 7
            11 22 33 44   // timestamp unchanged
            55 66 77 88   // RTX SSRC
            01 02 03 04   // CSRC unchanged
            BE DE 00 01
            31 0A 0B 00
            12 34         // OSN = 0x1234
            DE AD BE EF   // original payload
            """);

    @Test
    void decodesTheRfcLayoutInPlace() {
        byte[] buf = at(7, RTX, 5);
        RtpPacket p = new RtpPacket();
        assertThat(p.wrap(buf, 7, RTX.length)).isTrue();
        assertThat(RtxDecoder.originalSequenceNumber(p)).isEqualTo(0x1234);

        assertThat(RtxDecoder.decode(p, 0xAABBCCDDL, 96)).isTrue();

        assertThat(p.buffer()).isSameAs(buf);
        assertThat(p.offset()).isEqualTo(7 + RtxDecoder.OSN_LENGTH);
        assertThat(p.length()).isEqualTo(RTX.length - RtxDecoder.OSN_LENGTH);
        assertThat(Arrays.copyOfRange(buf, p.offset(), p.offset() + p.length())).isEqualTo(ORIGINAL);
        assertThat(p.findExtension(3)).isGreaterThan(0);
        assertThat(buf[p.findExtension(3)]).isEqualTo((byte) 0x0A);
        // Bytes around the packet are untouched.
        assertThat(buf[7 + RTX.length]).isEqualTo((byte) 0x5A);
    }

    @Test
    void keepsPaddingAtTheEnd() {
        byte[] rtx = hex("""
                A0 61 00 08   // P=1 | PT=97 | seq 8
                00 00 00 10
                55 66 77 88
                00 05         // OSN 5
                01 02 03      // payload
                00 00 03      // 3 bytes of padding
                """);
        RtpPacket p = new RtpPacket();
        assertThat(p.wrap(rtx, 0, rtx.length)).isTrue();
        assertThat(RtxDecoder.decode(p, 0x01020304L, 96)).isTrue();
        assertThat(p.sequenceNumber()).isEqualTo(5);
        assertThat(p.ssrc()).isEqualTo(0x01020304L);
        assertThat(p.payloadType()).isEqualTo(96);
        assertThat(p.hasPadding()).isTrue();
        assertThat(p.paddingLength()).isEqualTo(3);
        assertThat(Arrays.copyOfRange(rtx, p.payloadOffset(), p.payloadOffset() + p.payloadLength()))
                .containsExactly(1, 2, 3);
    }

    /** Chrome probes with padding-only RTX packets; one byte is no OSN either. Nothing changes. */
    @ParameterizedTest
    @ValueSource(strings = {
            "A0 61 00 09 00 00 00 10 55 66 77 88  00 00 00 00 04",  // padding only
            "80 61 00 09 00 00 00 10 55 66 77 88",                  // empty payload
            "80 61 00 09 00 00 00 10 55 66 77 88  12",              // one byte: half an OSN
            "A0 61 00 09 00 00 00 10 55 66 77 88  12 00 02",        // one byte and padding
    })
    void refusesPacketsWithoutAnOriginal(String hexBytes) {
        byte[] rtx = hex(hexBytes);
        byte[] before = rtx.clone();
        RtpPacket p = new RtpPacket();
        assertThat(p.wrap(rtx, 0, rtx.length)).isTrue();
        assertThat(RtxDecoder.hasOriginal(p)).isFalse();
        assertThat(RtxDecoder.decode(p, 1, 96)).isFalse();
        assertThat(rtx).isEqualTo(before);
        assertThat(p.offset()).isZero();
        assertThat(p.length()).isEqualTo(rtx.length);
    }

    /** Round trip: any packet, wrapped as RFC 4588 says, decodes back to itself. */
    @Test
    void roundTripsRandomPackets() {
        Random r = new Random(4588);
        RtpPacket p = new RtpPacket();
        for (int i = 0; i < 500; i++) {
            byte[] original = randomPacket(r);
            assertThat(p.wrap(original, 0, original.length)).isTrue();
            byte[] rtx = rtxOf(p, r.nextInt(1 << 16), 0x99887766L, 97);
            assertThat(p.wrap(rtx, 0, rtx.length)).isTrue();
            assertThat(RtxDecoder.decode(p, Bytes.readUint32(original, 8), original[1] & 0x7F)).isTrue();
            assertThat(Arrays.copyOfRange(rtx, p.offset(), p.offset() + p.length())).as("packet %d", i)
                    .isEqualTo(original);
        }
    }

    /** RFC 4588 §4, the sender's side, written out for the test only. */
    static byte[] rtxOf(RtpPacket original, int rtxSeq, long rtxSsrc, int rtxPt) {
        int header = original.headerLength();
        byte[] out = new byte[original.length() + 2];
        System.arraycopy(original.buffer(), original.offset(), out, 0, header);
        Bytes.writeUint16(out, header, original.sequenceNumber());
        System.arraycopy(original.buffer(), original.offset() + header, out, header + 2, original.length() - header);
        RtpPacket v = new RtpPacket();
        v.wrap(out, 0, out.length);
        v.setSequenceNumber(rtxSeq);
        v.setSsrc(rtxSsrc);
        v.setPayloadType(rtxPt);
        return out;
    }

    private static byte[] randomPacket(Random r) {
        int csrcs = r.nextInt(3);
        int extWords = r.nextBoolean() ? 1 + r.nextInt(3) : 0;
        int payload = r.nextInt(40);
        int padding = r.nextBoolean() ? 1 + r.nextInt(8) : 0;
        byte[] b = new byte[12 + 4 * csrcs + (extWords > 0 ? 4 + 4 * extWords : 0) + payload + padding];
        r.nextBytes(b);
        b[0] = (byte) (0x80 | (padding > 0 ? 0x20 : 0) | (extWords > 0 ? 0x10 : 0) | csrcs);
        if (extWords > 0) {
            int e = 12 + 4 * csrcs;
            Bytes.writeUint16(b, e, RtpPacket.PROFILE_ONE_BYTE);
            Bytes.writeUint16(b, e + 2, extWords);
        }
        if (padding > 0) {
            b[b.length - 1] = (byte) padding;
        }
        return b;
    }
}

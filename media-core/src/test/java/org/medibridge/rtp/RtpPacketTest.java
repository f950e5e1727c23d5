package org.medibridge.rtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.medibridge.rtp.TestBytes.at;
import static org.medibridge.rtp.TestBytes.hex;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RtpPacketTest {
    /** RFC 3550 §5.1 header with two CSRCs and the RFC 8285 §4.2 one-byte example block. */
    static final byte[] ONE_BYTE = hex("""
            92 E0 12 34   // V=2 P=0 X=1 CC=2 | M=1 PT=96 | seq 0x1234
            DE AD BE EF   // timestamp 0xDEADBEEF
            FF FF FF FE   // SSRC 0xFFFFFFFE (needs the unsigned long)
            00 00 00 01   // CSRC 1
            80 00 00 00   // CSRC 0x80000000
            BE DE 00 03   // one-byte form, 3 words of elements
            10 AA         // ID=1 L=0: 1 data byte
            21 BB CC      // ID=2 L=1: 2 data bytes
            00 00         // padding
            33 01 02 03 04 // ID=3 L=3: 4 data bytes
            01 02 03 04 05 // payload
            """);

    /** RFC 8285 §4.3 two-byte form, appbits 0x5. */
    static final byte[] TWO_BYTE = hex("""
            90 6F 00 01   // V=2 X=1 CC=0 | M=0 PT=111 | seq 1
            00 00 00 02   // timestamp 2
            00 00 00 03   // SSRC 3
            10 05 00 02   // two-byte form (0x100 + appbits 5), 2 words
            01 00         // ID=1 length=0 (allowed in the two-byte form)
            0F 03 AA BB CC // ID=15 length=3 (15 is an ordinary ID here)
            00            // padding
            CA FE         // payload
            """);

    static final byte[] PADDED = hex("""
            A0 08 FF FF   // V=2 P=1 | PT=8 | seq 65535
            00 00 00 00   // timestamp
            00 00 00 01   // SSRC
            11 22 33      // payload
            00 00 00 04   // 4 padding bytes, count included
            """);

    private final RtpPacket p = new RtpPacket();

    @Test
    void parsesHeaderWithCsrcsAndOneByteExtensions() {
        byte[] buf = at(7, ONE_BYTE, 5);
        assertThat(p.wrap(buf, 7, ONE_BYTE.length)).isTrue();
        assertThat(p.version()).isEqualTo(2);
        assertThat(p.hasPadding()).isFalse();
        assertThat(p.hasExtension()).isTrue();
        assertThat(p.csrcCount()).isEqualTo(2);
        assertThat(p.csrc(1)).isEqualTo(0x80000000L);
        assertThat(p.marker()).isTrue();
        assertThat(p.payloadType()).isEqualTo(96);
        assertThat(p.sequenceNumber()).isEqualTo(0x1234);
        assertThat(p.timestamp()).isEqualTo(0xDEADBEEFL);
        assertThat(p.ssrc()).isEqualTo(0xFFFFFFFEL);
        assertThat(p.headerLength()).isEqualTo(36);
        assertThat(p.payloadOffset()).isEqualTo(7 + 36);
        assertThat(p.payloadLength()).isEqualTo(5);
        assertThat(p.paddingLength()).isZero();
        assertThat(p.extensionsProfile()).isEqualTo(0xBEDE);

        HeaderExtensionCursor c = new HeaderExtensionCursor();
        assertThat(c.reset(p)).isTrue();
        assertThat(c.next()).isTrue();
        assertThat(c.id()).isEqualTo(1);
        assertThat(c.dataLength()).isEqualTo(1);
        assertThat(buf[c.dataOffset()]).isEqualTo((byte) 0xAA);
        assertThat(c.next()).isTrue();
        assertThat(c.id()).isEqualTo(2);
        assertThat(c.dataLength()).isEqualTo(2);
        assertThat(Bytes.readUint16(buf, c.dataOffset())).isEqualTo(0xBBCC);
        assertThat(c.next()).isTrue();
        assertThat(c.id()).isEqualTo(3);
        assertThat(c.dataLength()).isEqualTo(4);
        assertThat(Bytes.readUint32(buf, c.dataOffset())).isEqualTo(0x01020304L);
        assertThat(c.next()).isFalse();
        assertThat(c.next()).isFalse();

        assertThat(p.findExtension(3)).isEqualTo(7 + 32);
        assertThat(p.extensionLength(3)).isEqualTo(4);
        assertThat(p.findExtension(4)).isEqualTo(-1);
        assertThat(p.extensionLength(4)).isEqualTo(-1);
    }

    @Test
    void parsesTwoByteExtensions() {
        assertThat(p.wrap(TWO_BYTE, 0, TWO_BYTE.length)).isTrue();
        assertThat(p.extensionsProfile()).isEqualTo(0x1005);
        assertThat(p.headerLength()).isEqualTo(24);
        assertThat(p.payloadLength()).isEqualTo(2);
        HeaderExtensionCursor c = new HeaderExtensionCursor();
        assertThat(c.reset(p)).isTrue();
        assertThat(c.isTwoByteForm()).isTrue();
        assertThat(c.next()).isTrue();
        assertThat(c.id()).isEqualTo(1);
        assertThat(c.dataLength()).isZero();
        assertThat(c.next()).isTrue();
        assertThat(c.id()).isEqualTo(15);
        assertThat(c.dataLength()).isEqualTo(3);
        assertThat(c.dataOffset()).isEqualTo(20);
        assertThat(c.next()).isFalse();
        c.reset(p);
        c.next();
        c.next();
        c.setId(200);
        assertThat(p.findExtension(200)).isEqualTo(20);
    }

    @Test
    void paddingIsExcludedFromPayload() {
        assertThat(p.wrap(PADDED, 0, PADDED.length)).isTrue();
        assertThat(p.hasPadding()).isTrue();
        assertThat(p.paddingLength()).isEqualTo(4);
        assertThat(p.payloadLength()).isEqualTo(3);
        assertThat(p.sequenceNumber()).isEqualTo(65535);
        assertThat(p.extensionsProfile()).isEqualTo(-1);
        assertThat(new HeaderExtensionCursor().reset(p)).isFalse();
        assertThat(p.findExtension(1)).isEqualTo(-1);
    }

    @Test
    void id15EndsOneByteParsing() {
        byte[] b = hex("""
                90 00 00 00  00 00 00 00  00 00 00 00
                BE DE 00 02
                10 AA       // ID=1
                F3 BB BB BB // ID=15: stop, RFC 8285 §4.2
                20 CC       // ID=2, never reached
                """);
        assertThat(p.wrap(b, 0, b.length)).isTrue();
        assertThat(p.findExtension(1)).isEqualTo(17);
        assertThat(p.findExtension(2)).isEqualTo(-1);
    }

    @Test
    void setIdAndEraseRewriteInPlace() {
        byte[] buf = ONE_BYTE.clone();
        p.wrap(buf, 0, buf.length);
        HeaderExtensionCursor c = new HeaderExtensionCursor();
        c.reset(p);
        c.next();
        c.setId(14);
        c.next();
        c.erase();
        assertThat(buf).containsSubsequence(hex("E0 AA 00 00 00 00 00 33"));
        assertThatThrownBy(() -> c.setId(15)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> c.setId(0)).isInstanceOf(IllegalArgumentException.class);

        p.wrap(buf, 0, buf.length);
        assertThat(p.findExtension(14)).isEqualTo(25);  // 12 fixed + 8 CSRC + 4 block header + 1 element header
        assertThat(p.findExtension(2)).isEqualTo(-1);
        assertThat(p.findExtension(3)).isEqualTo(p.payloadOffset() - 4);
        assertThat(p.payloadLength()).isEqualTo(5);
    }

    @Test
    void settersWriteInPlace() {
        byte[] buf = ONE_BYTE.clone();
        p.wrap(buf, 0, buf.length);
        p.setMarker(false);
        p.setPayloadType(111);
        p.setSequenceNumber(65535);
        p.setTimestamp(0xFFFFFFFFL);
        p.setSsrc(0x80000001L);
        assertThat(p.marker()).isFalse();
        assertThat(p.payloadType()).isEqualTo(111);
        assertThat(p.sequenceNumber()).isEqualTo(65535);
        assertThat(p.timestamp()).isEqualTo(0xFFFFFFFFL);
        assertThat(p.ssrc()).isEqualTo(0x80000001L);
        p.setMarker(true);
        assertThat(p.marker()).isTrue();
        assertThat(p.payloadType()).isEqualTo(111);
        assertThat(buf[0]).isEqualTo((byte) 0x92);
        assertThat(java.util.Arrays.copyOfRange(buf, 1, 12)).isEqualTo(hex("EF FF FF FF FF FF FF 80 00 00 01"));
        assertThat(java.util.Arrays.copyOfRange(buf, 12, buf.length))
                .isEqualTo(java.util.Arrays.copyOfRange(ONE_BYTE, 12, ONE_BYTE.length));
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("11 bytes", hex("80 00 00 00 00 00 00 00 00 00 00"), 0, 11),
                Arguments.of("version 1", hex("40 00 00 00 00 00 00 00 00 00 00 00"), 0, 12),
                Arguments.of("version 0 (STUN-like)", hex("00 01 00 00 21 12 A4 42 00 00 00 00"), 0, 12),
                Arguments.of("CC=1 but no CSRC", hex("81 00 00 00 00 00 00 00 00 00 00 00"), 0, 12),
                Arguments.of("X but no extension header", hex("90 00 00 00 00 00 00 00 00 00 00 00 BE DE"), 0, 14),
                Arguments.of("extension length past end", hex("90 00 00 00 00 00 00 00 00 00 00 00 BE DE 00 02 10 AA 00 00"), 0, 20),
                Arguments.of("padding count 0", hex("A0 00 00 00 00 00 00 00 00 00 00 00 00"), 0, 13),
                Arguments.of("padding past header", hex("A0 00 00 00 00 00 00 00 00 00 00 00 00 05"), 0, 14),
                Arguments.of("len beyond array", hex("80 00 00 00 00 00 00 00 00 00 00 00"), 0, 13),
                Arguments.of("offset beyond array", hex("80 00 00 00 00 00 00 00 00 00 00 00"), 1, 12),
                Arguments.of("negative offset", hex("80 00 00 00 00 00 00 00 00 00 00 00"), -1, 12),
                Arguments.of("null buffer", null, 0, 12));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void rejectsMalformed(String name, byte[] buf, int off, int len) {
        assertThat(p.wrap(buf, off, len)).isFalse();
    }

    @Test
    void malformedExtensionElementsStopTheCursorWithoutThrowing() {
        byte[] b = hex("""
                90 00 00 00  00 00 00 00  00 00 00 00
                BE DE 00 01
                10 AA       // ID=1 L=0
                2F BB       // ID=2 L=15: runs past the block
                """);
        assertThat(p.wrap(b, 0, b.length)).isTrue();
        HeaderExtensionCursor c = new HeaderExtensionCursor();
        assertThat(c.reset(p)).isTrue();
        assertThat(c.next()).isTrue();
        assertThat(c.next()).isFalse();
        assertThat(p.findExtension(2)).isEqualTo(-1);
    }

    @Test
    void unknownProfileHasNoElements() {
        byte[] b = hex("90 00 00 00  00 00 00 00  00 00 00 00  AB CD 00 01  10 AA 00 00");
        assertThat(p.wrap(b, 0, b.length)).isTrue();
        assertThat(p.extensionsProfile()).isEqualTo(0xABCD);
        assertThat(new HeaderExtensionCursor().reset(p)).isFalse();
        assertThat(p.headerLength()).isEqualTo(20);
    }
}

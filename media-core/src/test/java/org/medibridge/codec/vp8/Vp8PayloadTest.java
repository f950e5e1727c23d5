package org.medibridge.codec.vp8;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Vp8PayloadTest {
    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    @ParameterizedTest(name = "{0}: descriptor {1}, frame start {2}, key start {3}, picture id {4}")
    @CsvSource({
            // X R N S R PID | I L T K | picture id ...            | VP8 payload header
            "'10 b0',          1, true,  true,  -1",   // S=1 PID=0, no X; P bit 0: key frame
            "'10 b1',          1, true,  false, -1",   // P bit 1: delta frame
            "'00 b0',          1, false, false, -1",   // S=0: continuation
            "'11 b0',          1, false, false, -1",   // S=1 PID=1: second partition
            "'90 80 05 b0',    3, true,  true,  5",    // X, I, 7-bit picture id 5
            "'90 80 81 02 b0', 4, true,  true,  258",  // X, I, M: 15-bit picture id 0x102
            "'90 e0 81 02 07 00 b1', 6, true, false, 258", // X, I, L, T: id, TL0PICIDX, TID byte
            "'90 80',         -1, true,  false, -1",   // I announced but missing
    })
    void descriptorTable(String bytes, int descriptor, boolean frameStart, boolean keyStart, int pictureId) {
        byte[] b = hex(bytes);
        assertThat(Vp8Payload.descriptorLength(b, 0, b.length)).isEqualTo(descriptor);
        assertThat(Vp8Payload.isFrameStart(b, 0, b.length)).isEqualTo(frameStart);
        assertThat(Vp8Payload.isKeyFrameStart(b, 0, b.length)).isEqualTo(keyStart);
        assertThat(Vp8Payload.pictureId(b, 0, b.length)).isEqualTo(pictureId);
    }

    /** First bytes of key frames libvpx wrote (ffmpeg -c:v libvpx, testsrc), RFC 6386 §9.1. */
    @ParameterizedTest(name = "{0} -> {1}x{2}")
    @CsvSource({
            //  frame tag | start code | width    | height   | first partition ...
            "'b0 5a 00 9d 01 2a 40 01 f0 00 00 07 08 85', 320, 240",
            "'b0 43 00 9d 01 2a b0 00 90 00 00 07 08 85', 176, 144",
            "'b0 43 00 9d 01 2a b0 40 90 c0 00 07 08 85', 176, 144",  // scale bits set: ignored
    })
    void keyFrameSizeFromRealLibvpxBytes(String bytes, int width, int height) {
        byte[] b = hex("ffff" + bytes.replace(" ", ""));  // at an offset
        assertThat(Vp8Payload.keyFrameWidth(b, 2, b.length - 2)).isEqualTo(width);
        assertThat(Vp8Payload.keyFrameHeight(b, 2, b.length - 2)).isEqualTo(height);
    }

    @Test
    void keyFrameSizeRejectsDeltaFramesBadStartCodesAndShortInput() {
        byte[] delta = hex("b1 5a 00 9d 01 2a 40 01 f0 00");
        byte[] badCode = hex("b0 5a 00 9d 01 2b 40 01 f0 00");
        byte[] shortKey = hex("b0 5a 00 9d 01 2a 40 01 f0");
        assertThat(Vp8Payload.keyFrameWidth(delta, 0, delta.length)).isEqualTo(-1);
        assertThat(Vp8Payload.keyFrameWidth(badCode, 0, badCode.length)).isEqualTo(-1);
        assertThat(Vp8Payload.keyFrameHeight(shortKey, 0, shortKey.length)).isEqualTo(-1);
    }
}

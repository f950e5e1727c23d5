package org.medibridge.codec.vp8;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 7741 §4.2 payload descriptors, byte by byte. */
class Vp8DescriptorTest {
    private static final int A = Vp8Descriptor.ABSENT;

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            // bytes: XRNSRPID | ILTK | picture id | TL0 | TID Y KEYIDX | VP8 header
            //                       length, pid, bits, tl0, tid, Y, keyidx, N, frame start, key start
            "'10 b0',                    1,   -1,  0,  -1, -1, false, -1, false, true,  true",   // no X
            "'11 b1',                    1,   -1,  0,  -1, -1, false, -1, false, false, false",  // PID 1
            "'a0 80 7f b1',              3,  127,  7,  -1, -1, false, -1, true,  false, false",  // N, 7-bit id 127
            "'90 80 81 02 b1',           4,  258, 15,  -1, -1, false, -1, false, true,  false",  // M: 15-bit 0x0102
            "'90 80 ff ff b0',           4, 32767,15,  -1, -1, false, -1, false, true,  true",   // 15-bit maximum
            "'90 e0 81 02 07 a3 b1',     6,  258, 15,   7,  2, true,  -1, false, true,  false",  // I L T: TID 2, Y; KEYIDX ignored (K = 0)
            "'90 f0 05 07 63 b0',        5,    5,  7,   7,  1, true,   3, false, true,  true",   // I L T K: TID 1, Y, KEYIDX 3
            "'90 10 3f b1',              3,   -1,  0,  -1, -1, false, 31, false, true,  false",  // K only: TID and Y ignored
            "'90 40 fe b1',              3,   -1,  0, 254, -1, false, -1, false, true,  false",  // L only
            "'90 20 40 b1',              3,   -1,  0,  -1,  1, false, -1, false, true,  false",  // T only: TID 1, Y 0
    })
    void parsesEveryField(String bytes, int length, int pid, int bits, int tl0, int tid, boolean y, int keyIdx,
                          boolean nonRef, boolean frameStart, boolean keyStart) {
        byte[] b = hex("ffff" + bytes.replace(" ", ""));  // at an offset
        Vp8Descriptor d = new Vp8Descriptor();
        assertThat(d.wrap(b, 2, b.length - 2)).isTrue();
        assertThat(d.length()).isEqualTo(length);
        assertThat(d.pictureId()).isEqualTo(pid);
        assertThat(d.hasPictureId()).isEqualTo(pid != A);
        assertThat(d.pictureIdBits()).isEqualTo(bits);
        assertThat(d.tl0PicIdx()).isEqualTo(tl0);
        assertThat(d.tid()).isEqualTo(tid);
        assertThat(d.temporalLayer()).isEqualTo(Math.max(tid, 0));
        assertThat(d.layerSync()).isEqualTo(y);
        assertThat(d.keyIdx()).isEqualTo(keyIdx);
        assertThat(d.isNonReference()).isEqualTo(nonRef);
        assertThat(d.isFrameStart()).isEqualTo(frameStart);
        assertThat(d.isKeyFrameStart()).isEqualTo(keyStart);
        // The older static helpers agree.
        assertThat(Vp8Payload.descriptorLength(b, 2, b.length - 2)).isEqualTo(length);
        assertThat(Vp8Payload.pictureId(b, 2, b.length - 2)).isEqualTo(pid);
        assertThat(Vp8Payload.isKeyFrameStart(b, 2, b.length - 2)).isEqualTo(keyStart);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "'90',          X announced, extension byte missing",
            "'90 80',       I announced, picture id missing",
            "'90 80 81',    M announced, second byte missing",
            "'90 e0 81 02', L and T announced, missing",
            "'90 f0 05 07', T/K byte missing",
    })
    void refusesTruncatedDescriptors(String bytes, String why) {
        byte[] b = hex(bytes);
        Vp8Descriptor d = new Vp8Descriptor();
        assertThat(d.wrap(b, 0, b.length)).as(why).isFalse();
        assertThat(d.wrap(b, 0, 0)).isFalse();
    }

    @ParameterizedTest(name = "pid {0} ({1}), tl0 {2}, tid {3} y {4}, keyidx {5}")
    @CsvSource({
            "-1, false, -1, -1, false, -1",
            "0, false, -1, -1, false, -1",
            "127, false, 255, 0, false, -1",
            "128, true, 0, 3, true, 31",
            "32767, true, 1, 2, true, -1",
            "77, true, -1, -1, false, 0",
            "-1, false, 9, 1, true, 4",
    })
    void writeThenParseRoundTrips(int pid, boolean longPid, int tl0, int tid, boolean y, int keyIdx) {
        byte[] b = new byte[16];
        int n = Vp8Descriptor.write(b, 3, true, true, 0, pid, longPid, tl0, tid, y, keyIdx);
        assertThat(n).isEqualTo(Vp8Descriptor.size(pid, longPid, tl0, tid, keyIdx));
        b[3 + n] = 0x10; // key frame header
        Vp8Descriptor d = new Vp8Descriptor();
        assertThat(d.wrap(b, 3, n + 1)).isTrue();
        assertThat(d.length()).isEqualTo(n);
        assertThat(d.pictureId()).isEqualTo(pid);
        assertThat(d.isLongPictureId()).isEqualTo(pid != A && longPid);
        assertThat(d.tl0PicIdx()).isEqualTo(tl0);
        assertThat(d.tid()).isEqualTo(tid);
        assertThat(d.layerSync()).isEqualTo(tid != A && y);
        assertThat(d.keyIdx()).isEqualTo(keyIdx);
        assertThat(d.isNonReference()).isTrue();
        assertThat(d.isKeyFrameStart()).isTrue();
    }

    @ParameterizedTest(name = "{0}-bit picture id: {1} -> {2}")
    @CsvSource({
            "7,  5, 200, 72",       // 200 mod 128: a 7-bit id keeps wrapping at 128
            "7,  127, 128, 0",
            "15, 5, 32768, 0",
            "15, 300, 32767, 32767",
            "15, 300, 70000, 4464",  // 70000 mod 32768
    })
    void rewritesPictureIdInPlaceKeepingItsWidth(int bits, int before, int write, int after) {
        byte[] b = new byte[8];
        int n = Vp8Descriptor.write(b, 0, false, true, 0, before, bits == 15, 200, 2, true, A);
        b[n] = 0x11;
        b[n + 1] = 0x42;
        Vp8Descriptor d = new Vp8Descriptor();
        assertThat(d.wrap(b, 0, n + 2)).isTrue();
        d.setPictureId(write);
        d.setTl0PicIdx(256 + 3);
        assertThat(d.wrap(b, 0, n + 2)).isTrue();
        assertThat(d.length()).as("length unchanged").isEqualTo(n);
        assertThat(d.pictureIdBits()).isEqualTo(bits);
        assertThat(d.pictureId()).isEqualTo(after);
        assertThat(d.tl0PicIdx()).isEqualTo(3);
        assertThat(d.tid()).isEqualTo(2);
        assertThat(d.layerSync()).isTrue();
        assertThat(b[n]).as("VP8 header untouched").isEqualTo((byte) 0x11);
        assertThat(b[n + 1]).isEqualTo((byte) 0x42);
    }

    @Test
    void settersAreNoOpsForAbsentFields() {
        byte[] b = hex("90 20 40 b1");
        byte[] copy = b.clone();
        Vp8Descriptor d = new Vp8Descriptor();
        assertThat(d.wrap(b, 0, b.length)).isTrue();
        d.setPictureId(9);
        d.setTl0PicIdx(9);
        assertThat(b).isEqualTo(copy);
    }

    /** Random bytes never throw and never claim fields beyond the input. */
    @Test
    void fuzzedInputIsBoundsSafe() {
        Random random = new Random(7);
        Vp8Descriptor d = new Vp8Descriptor();
        byte[] b = new byte[8];
        for (int i = 0; i < 200_000; i++) {
            random.nextBytes(b);
            int len = random.nextInt(b.length + 1);
            if (d.wrap(b, 0, len)) {
                assertThat(d.length()).isLessThanOrEqualTo(len);
                assertThat(d.length()).isEqualTo(Vp8Payload.descriptorLength(b, 0, len));
                d.pictureId();
                d.tl0PicIdx();
                d.keyIdx();
                d.isKeyFrameStart();
            } else {
                assertThat(Vp8Payload.descriptorLength(b, 0, len)).isEqualTo(-1);
            }
        }
    }
}

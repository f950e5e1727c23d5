package org.medibridge.webm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.medibridge.webm.TestBytes.hex;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 8794 byte vectors, computed by hand from the spec's bit layouts. */
class EbmlTest {

    /** RFC 8794 §4: the shortest VINT, at each length boundary (2^(7n) - 2 is the largest n-byte size). */
    @ParameterizedTest(name = "size {0} -> {1}")
    @CsvSource({
            "0,                 80",
            "1,                 81",
            "126,               FE",                 // 2^7 - 2
            "127,               407F",               // 127 = all ones in 1 byte: reserved (unknown)
            "16382,             7FFE",               // 2^14 - 2
            "16383,             203FFF",
            "2097150,           3FFFFE",             // 2^21 - 2
            "2097151,           101FFFFF",
            "268435454,         1FFFFFFE",           // 2^28 - 2
            "268435455,         080FFFFFFF",
            "34359738366,       0FFFFFFFFE",         // 2^35 - 2
            "34359738367,       0407FFFFFFFF",
            "4398046511102,     07FFFFFFFFFE",       // 2^42 - 2
            "4398046511103,     0203FFFFFFFFFF",
            "562949953421310,   03FFFFFFFFFFFE",     // 2^49 - 2
            "562949953421311,   0101FFFFFFFFFFFF",
            "72057594037927934, 01FFFFFFFFFFFFFE",   // 2^56 - 2, the largest size
    })
    void shortestVint(long size, String expected) {
        EbmlBuffer b = new EbmlBuffer(8);
        b.size(size);
        assertThat(HexFormat.of().withUpperCase().formatHex(b.toByteArray())).isEqualTo(expected);
        assertThat(Ebml.sizeLength(size)).isEqualTo(expected.length() / 2);
    }

    @Test
    void sizesOutOfRangeAreRejected() {
        assertThatThrownBy(() -> Ebml.sizeLength(Ebml.MAX_SIZE + 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Ebml.sizeLength(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Ebml.putSize(new byte[8], 0, 127, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Ebml.putSize(new byte[8], 0, 16383, 2)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void fixedLengthVintPadsWithZeroBits() {
        EbmlBuffer b = new EbmlBuffer(16);
        b.size(5, 4).size(5, 8);
        assertThat(b.toByteArray()).isEqualTo(hex("""
                10 00 00 05               // 0001 xxxx: 4 bytes, value 5
                01 00 00 00 00 00 00 05   // 0000 0001: 8 bytes, value 5
                """));
    }

    @Test
    void unknownSizeIsAllOnes() {
        EbmlBuffer b = new EbmlBuffer(8);
        b.unknownSize();
        assertThat(b.toByteArray()).isEqualTo(hex("01 FF FF FF FF FF FF FF"));   // RFC 8794 §6.2
    }

    @ParameterizedTest(name = "id {0}")
    @CsvSource({
            "A3,       1",   // SimpleBlock: class A, 1 byte
            "4489,     2",   // Duration: class B
            "2AD7B1,   3",   // TimecodeScale: class C
            "1A45DFA3, 4",   // EBML: class D
            "18538067, 4",   // Segment
    })
    void elementIds(String hexId, int length) {
        int id = Integer.parseUnsignedInt(hexId, 16);
        EbmlBuffer b = new EbmlBuffer(4);
        b.id(id);
        assertThat(Ebml.idLength(id)).isEqualTo(length);
        assertThat(b.toByteArray()).isEqualTo(HexFormat.of().parseHex(hexId.toLowerCase()));
    }

    @Test
    void unsignedIntegers() {
        EbmlBuffer b = new EbmlBuffer(64);
        b.uint(MatroskaIds.TRACK_NUMBER, 1)
                .uint(MatroskaIds.TRACK_NUMBER, 0)
                .uint(MatroskaIds.CUE_TIME, 256)
                .uint(MatroskaIds.TIMECODE_SCALE, 1_000_000)
                .uint(MatroskaIds.PIXEL_WIDTH, 640, 2)
                .uint(MatroskaIds.CUE_CLUSTER_POSITION, -1L)
                .uint(MatroskaIds.SEEK_POSITION, 4096, 8);
        assertThat(b.toByteArray()).isEqualTo(hex("""
                D7 81 01                           // TrackNumber 1
                D7 81 00                           // 0 still takes one byte
                B3 82 01 00                        // CueTime 256
                2A D7 B1 83 0F 42 40               // TimecodeScale 1000000 = 0x0F4240
                B0 82 02 80                        // PixelWidth 640, fixed width 2 (patchable)
                F1 88 FF FF FF FF FF FF FF FF      // 2^64 - 1, unsigned
                53 AC 88 00 00 00 00 00 00 10 00   // SeekPosition 4096, fixed width 8
                """));
        assertThatThrownBy(() -> b.uint(MatroskaIds.PIXEL_WIDTH, 70_000, 2)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void floats() {
        EbmlBuffer b = new EbmlBuffer(64);
        b.float64(MatroskaIds.DURATION, 1000.0)
                .float64(MatroskaIds.SAMPLING_FREQUENCY, 48_000)
                .float32(MatroskaIds.SAMPLING_FREQUENCY, 48_000f);
        assertThat(b.toByteArray()).isEqualTo(hex("""
                44 89 88 40 8F 40 00 00 00 00 00   // Duration 1000.0: binary64 0x408F400000000000
                B5 88 40 E7 70 00 00 00 00 00      // SamplingFrequency 48000.0: 0x40E7700000000000
                B5 84 47 3B 80 00                  // as binary32: 0x473B8000
                """));
    }

    @Test
    void stringsAndBinary() {
        EbmlBuffer b = new EbmlBuffer(64);
        b.string(MatroskaIds.DOC_TYPE, "webm").string(MatroskaIds.TITLE, "é").binary(MatroskaIds.CODEC_PRIVATE, new byte[0]);
        assertThat(b.toByteArray()).isEqualTo(hex("""
                42 82 84 77 65 62 6D   // DocType "webm"
                7B A9 82 C3 A9         // Title "é", UTF-8
                63 A2 80               // empty CodecPrivate
                """));
    }

    @ParameterizedTest(name = "Void of {0} bytes")
    @CsvSource({
            "2,   EC80",            // the smallest: id + empty size
            "3,   EC8100",
            "128, EC FE",           // 126 zero bytes: the largest 1-byte size
            "129, EC 40 7E",        // 127 would be the reserved all-ones: a 2-byte size of 126
            "130, EC 40 7F",
            "4000, EC 4F 9D",       // 4000 - 3 = 3997 = 0x0F9D
    })
    void voidPadding(int total, String head) {
        EbmlBuffer b = new EbmlBuffer(8);
        b.voidElement(total);
        byte[] bytes = b.toByteArray();
        byte[] expectedHead = HexFormat.of().parseHex(head.replace(" ", "").toLowerCase());
        assertThat(bytes).hasSize(total);
        assertThat(java.util.Arrays.copyOf(bytes, expectedHead.length)).isEqualTo(expectedHead);
        for (int i = expectedHead.length; i < total; i++) {
            assertThat(bytes[i]).isZero();
        }
        assertThatThrownBy(() -> new EbmlBuffer(2).voidElement(1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void masterElementsPatchTheirSize() {
        EbmlBuffer b = new EbmlBuffer(4);
        int m = b.startMaster(MatroskaIds.VIDEO, 1);
        b.uint(MatroskaIds.PIXEL_WIDTH, 320, 2).uint(MatroskaIds.PIXEL_HEIGHT, 240, 2);
        b.endMaster(m);
        int m8 = b.startMaster(MatroskaIds.CUES, 8);
        b.endMaster(m8);
        assertThat(b.toByteArray()).isEqualTo(hex("""
                E0 88                      // Video, 8 bytes
                B0 82 01 40                //   PixelWidth 320
                BA 82 00 F0                //   PixelHeight 240
                1C 53 BB 6B 01 00 00 00 00 00 00 00   // empty Cues with an 8-byte size
                """));
    }

    /** RFC 8794 §11.2 header for webm; the same bytes ffmpeg writes apart from DocTypeVersion. */
    @Test
    void ebmlHeader() {
        EbmlBuffer b = new EbmlBuffer(64);
        WebmWriter.writeEbmlHeader(b);
        assertThat(b.toByteArray()).isEqualTo(hex("""
                1A 45 DF A3 9F          // EBML, 31 bytes
                42 86 81 01             //   EBMLVersion 1
                42 F7 81 01             //   EBMLReadVersion 1
                42 F2 81 04             //   EBMLMaxIDLength 4
                42 F3 81 08             //   EBMLMaxSizeLength 8
                42 82 84 77 65 62 6D    //   DocType "webm"
                42 87 81 04             //   DocTypeVersion 4 (CodecDelay, SeekPreRoll)
                42 85 81 02             //   DocTypeReadVersion 2
                """));
    }

    /** RFC 7845 §5.1 OpusHead for 48 kHz stereo, pre-skip 312. */
    @Test
    void opusHead() {
        assertThat(WebmWriter.opusHead()).isEqualTo(hex("""
                4F 70 75 73 48 65 61 64   // "OpusHead"
                01                        // version
                02                        // channels
                38 01                     // pre-skip 312, little-endian
                80 BB 00 00               // 48000, little-endian
                00 00                     // output gain
                00                        // mapping family 0
                """));
        assertThat(WebmWriter.OPUS_CODEC_DELAY_NS).isEqualTo(6_500_000L);
    }
}

package org.medibridge.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.medibridge.rtcp.RtcpCompoundIterator;

/** Random and mutated inputs through every parser: nothing may throw. */
class RtpFuzzTest {
    @Test
    void randomBytesNeverThrow() {
        SplittableRandom random = new SplittableRandom(42);
        RtpPacket p = new RtpPacket();
        HeaderExtensionCursor c = new HeaderExtensionCursor();
        RtcpCompoundIterator it = new RtcpCompoundIterator();
        int valid = 0;
        for (int i = 0; i < 100_000; i++) {
            byte[] b = new byte[random.nextInt(0, 200)];
            random.nextBytes(b);
            if (b.length > 0 && random.nextBoolean()) {
                b[0] = (byte) (0x80 | (b[0] & 0x3F));  // version 2 half the time, to get past the first check
            }
            int off = b.length == 0 ? 0 : random.nextInt(0, b.length);
            int len = b.length - off;
            if (p.wrap(b, off, len)) {
                valid++;
                touch(p, c);
            }
            if (it.reset(b, off, len)) {
                while (it.next()) {
                    assertThat(it.packetLength()).isGreaterThanOrEqualTo(4);
                    it.packetType();
                    it.fmt();
                }
            }
        }
        assertThat(valid).isGreaterThan(1000);
    }

    @Test
    void mutatedValidPacketsNeverThrow() {
        SplittableRandom random = new SplittableRandom(7);
        RtpPacket p = new RtpPacket();
        HeaderExtensionCursor c = new HeaderExtensionCursor();
        byte[][] seeds = {RtpPacketTest.ONE_BYTE, RtpPacketTest.TWO_BYTE, RtpPacketTest.PADDED};
        for (int i = 0; i < 100_000; i++) {
            byte[] b = seeds[i % seeds.length].clone();
            int flips = random.nextInt(1, 4);
            for (int f = 0; f < flips; f++) {
                b[random.nextInt(b.length)] = (byte) random.nextInt(256);
            }
            int len = random.nextInt(0, b.length + 1);
            if (p.wrap(b, 0, len)) {
                touch(p, c);
            }
        }
    }

    private static void touch(RtpPacket p, HeaderExtensionCursor c) {
        assertThat(p.payloadOffset() + p.payloadLength() + p.paddingLength()).isEqualTo(p.offset() + p.length());
        assertThat(p.payloadLength()).isGreaterThanOrEqualTo(0);
        p.findExtension(1);
        if (c.reset(p)) {
            while (c.next()) {
                assertThat(c.dataOffset() + c.dataLength()).isLessThanOrEqualTo(p.payloadOffset());
                assertThat(c.dataOffset()).isGreaterThan(p.offset());
            }
        }
    }
}

package org.medibridge.rtcp;

import org.medibridge.rtp.Bytes;

/**
 * Receiver Estimated Max Bitrate, draft-alvestrand-rmcat-remb-03 §2.2: PT=PSFB (206), FMT=15,
 * an application-layer feedback message told apart by its "REMB" identifier:
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P| FMT=15  |   PT=206      |             length            |
 * |                  SSRC of packet sender                        |
 * |                  SSRC of media source (unused, 0)             |
 * |  Unique identifier 'R' 'E' 'M' 'B'                            |
 * |  Num SSRC     | BR Exp    |  BR Mantissa                      |
 * |   SSRC feedback                                               |
 * |  ...                                                          |
 * </pre>
 * Bitrate in bits per second = mantissa * 2^exp.
 */
public final class Remb {
    public static final int FMT = 15;
    /** "REMB" in ASCII. */
    public static final long IDENTIFIER = 0x52454D42L;
    private static final int FIXED_LENGTH = RtcpFeedback.HEADER_LENGTH + 8;
    private static final int MAX_MANTISSA = (1 << 18) - 1;

    private byte[] buf;
    private int off;

    /** False unless PSFB/FMT=15 with the "REMB" identifier and all listed SSRCs in bounds. */
    public boolean wrap(byte[] buf, int off, int len) {
        this.buf = null;
        if (!RtcpFeedback.matches(buf, off, len, RtcpPacketType.PSFB, FMT)
                || RtcpFeedback.fciLength(buf, off) < 8
                || Bytes.readUint32(buf, off + 12) != IDENTIFIER
                || FIXED_LENGTH + 4 * (buf[off + 16] & 0xFF) > RtcpHeader.packetLength(buf, off)) {
            return false;
        }
        this.buf = buf;
        this.off = off;
        return true;
    }

    public long senderSsrc() { return RtcpFeedback.senderSsrc(buf, off); }
    public int ssrcCount() { return buf[off + 16] & 0xFF; }
    public long ssrc(int i) { return Bytes.readUint32(buf, off + FIXED_LENGTH + 4 * i); }

    public int exponent() { return (buf[off + 17] & 0xFF) >>> 2; }
    public int mantissa() { return Bytes.readUint24(buf, off + 17) & MAX_MANTISSA; }

    /** Bits per second; saturates at {@link Long#MAX_VALUE} for absurd exponents. */
    public long bitrate() {
        long m = mantissa();
        int e = exponent();
        return m == 0 ? 0 : e >= Long.numberOfLeadingZeros(m) ? Long.MAX_VALUE : m << e;
    }

    /** Size of a REMB listing {@code ssrcCount} SSRCs. */
    public static int length(int ssrcCount) {
        return FIXED_LENGTH + 4 * ssrcCount;
    }

    /**
     * Writes a REMB for {@code ssrcs[0..count)} (count at most 255); bitrate is rounded down to
     * the nearest value with an 18-bit mantissa. Returns {@link #length(int)}.
     */
    public static int write(byte[] buf, int off, long senderSsrc, long bitrate, long[] ssrcs, int count) {
        if (count < 0 || count > 255) {
            throw new IllegalArgumentException("REMB lists 0..255 SSRCs, got " + count);
        }
        int length = length(count);
        RtcpFeedback.writeHeader(buf, off, RtcpPacketType.PSFB, FMT, length, senderSsrc, 0);
        Bytes.writeUint32(buf, off + 12, IDENTIFIER);
        long br = Math.max(0, bitrate);
        int exp = 0;
        while (br > MAX_MANTISSA) {
            br >>>= 1;
            exp++;
        }
        buf[off + 16] = (byte) count;
        Bytes.writeUint24(buf, off + 17, (exp << 18) | (int) br);
        for (int i = 0; i < count; i++) {
            Bytes.writeUint32(buf, off + FIXED_LENGTH + 4 * i, ssrcs[i]);
        }
        return length;
    }
}

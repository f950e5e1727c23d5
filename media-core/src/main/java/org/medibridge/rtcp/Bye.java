package org.medibridge.rtcp;

import org.medibridge.rtp.Bytes;

/**
 * Goodbye, RFC 3550 §6.6:
 * <pre>
 *        0                   1                   2                   3
 *        0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *       +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *       |V=2|P|    SC   |   PT=BYE=203  |             length            |
 *       +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *       |                           SSRC/CSRC                           |
 *       +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *       :                              ...                              :
 *       +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * (opt) |     length    |               reason for leaving            ...
 *       +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * The reason is not read: an SFU has no use for it.
 */
public final class Bye {
    private byte[] buf;
    private int off;

    public boolean wrap(byte[] buf, int off, int len) {
        this.buf = null;
        if (buf == null || off < 0 || len < RtcpHeader.LENGTH || off > buf.length - len
                || RtcpHeader.packetType(buf, off) != RtcpPacketType.BYE
                || RtcpHeader.packetLength(buf, off) > len
                || RtcpHeader.LENGTH + 4 * RtcpHeader.count(buf, off) > RtcpHeader.packetLength(buf, off)) {
            return false;
        }
        this.buf = buf;
        this.off = off;
        return true;
    }

    public int ssrcCount() { return RtcpHeader.count(buf, off); }
    public long ssrc(int i) { return Bytes.readUint32(buf, off + RtcpHeader.LENGTH + 4 * i); }

    /** Writes a BYE for one SSRC; returns 8. */
    public static int write(byte[] buf, int off, long ssrc) {
        RtcpHeader.write(buf, off, 1, RtcpPacketType.BYE, 8);
        Bytes.writeUint32(buf, off + 4, ssrc);
        return 8;
    }

    /** Writes a BYE for {@code ssrcs[0..count)} (at most 31), without a reason. */
    public static int write(byte[] buf, int off, long[] ssrcs, int count) {
        if (count < 0 || count > 31) {
            throw new IllegalArgumentException("BYE lists 0..31 SSRCs, got " + count);
        }
        int length = RtcpHeader.LENGTH + 4 * count;
        RtcpHeader.write(buf, off, count, RtcpPacketType.BYE, length);
        for (int i = 0; i < count; i++) {
            Bytes.writeUint32(buf, off + RtcpHeader.LENGTH + 4 * i, ssrcs[i]);
        }
        return length;
    }
}

package org.medibridge.rtcp;

import org.medibridge.rtp.Bytes;

/**
 * The header common to every RTCP packet, RFC 3550 §6.1 (count is FMT in RFC 4585 feedback):
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|  count  |      PT       |             length            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * length is the packet length in 32-bit words minus one, header included. Static accessors over
 * (buf, off); bounds are the caller's (see {@link RtcpCompoundIterator}).
 */
public final class RtcpHeader {
    public static final int LENGTH = 4;

    private RtcpHeader() {
    }

    public static int version(byte[] buf, int off) { return (buf[off] & 0xFF) >>> 6; }
    public static boolean hasPadding(byte[] buf, int off) { return (buf[off] & 0x20) != 0; }
    /** Report count, source count or FMT, depending on the packet type. */
    public static int count(byte[] buf, int off) { return buf[off] & 0x1F; }
    public static int packetType(byte[] buf, int off) { return buf[off + 1] & 0xFF; }
    public static int lengthWords(byte[] buf, int off) { return Bytes.readUint16(buf, off + 2); }
    /** Whole packet length in bytes: (length + 1) * 4. */
    public static int packetLength(byte[] buf, int off) { return (lengthWords(buf, off) + 1) * 4; }

    /** Writes a header without padding for a packet of {@code packetLengthBytes} (a multiple of 4). */
    public static int write(byte[] buf, int off, int count, int packetType, int packetLengthBytes) {
        buf[off] = (byte) (0x80 | (count & 0x1F));
        buf[off + 1] = (byte) packetType;
        Bytes.writeUint16(buf, off + 2, packetLengthBytes / 4 - 1);
        return LENGTH;
    }
}

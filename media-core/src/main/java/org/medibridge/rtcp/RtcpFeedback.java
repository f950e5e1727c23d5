package org.medibridge.rtcp;

import org.medibridge.rtp.Bytes;

/**
 * The header common to RTCP feedback messages, RFC 4585 §6.1:
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|   FMT   |       PT      |          length               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  SSRC of packet sender                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  SSRC of media source                         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * :            Feedback Control Information (FCI)                :
 * </pre>
 * Shared by the one-class-per-message readers in this package.
 */
final class RtcpFeedback {
    static final int HEADER_LENGTH = 12;

    private RtcpFeedback() {
    }

    /** Whether (buf, off, len) holds at least a feedback header with this PT and FMT, length in bounds. */
    static boolean matches(byte[] buf, int off, int len, int packetType, int fmt) {
        return buf != null && off >= 0 && len >= HEADER_LENGTH && off <= buf.length - len
                && RtcpHeader.version(buf, off) == 2
                && RtcpHeader.packetType(buf, off) == packetType
                && RtcpHeader.count(buf, off) == fmt
                && RtcpHeader.packetLength(buf, off) <= len;
    }

    /** Length of the FCI, padding excluded; the caller has checked {@link #matches}. */
    static int fciLength(byte[] buf, int off) {
        int plen = RtcpHeader.packetLength(buf, off);
        int padding = RtcpHeader.hasPadding(buf, off) ? buf[off + plen - 1] & 0xFF : 0;
        return Math.max(0, plen - HEADER_LENGTH - padding);
    }

    static long senderSsrc(byte[] buf, int off) { return Bytes.readUint32(buf, off + 4); }
    static long mediaSsrc(byte[] buf, int off) { return Bytes.readUint32(buf, off + 8); }

    static int writeHeader(byte[] buf, int off, int packetType, int fmt, int packetLength,
                           long senderSsrc, long mediaSsrc) {
        RtcpHeader.write(buf, off, fmt, packetType, packetLength);
        Bytes.writeUint32(buf, off + 4, senderSsrc);
        Bytes.writeUint32(buf, off + 8, mediaSsrc);
        return HEADER_LENGTH;
    }
}

package org.medibridge.rtcp;

import org.medibridge.rtp.Bytes;

/**
 * Sender report, RFC 3550 §6.4.1:
 * <pre>
 *         0                   1                   2                   3
 *         0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * header |V=2|P|    RC   |   PT=SR=200   |             length            |
 *        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *        |                         SSRC of sender                        |
 *        +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * sender |              NTP timestamp, most significant word             |
 * info   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *        |             NTP timestamp, least significant word             |
 *        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *        |                         RTP timestamp                         |
 *        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *        |                     sender's packet count                     |
 *        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *        |                      sender's octet count                     |
 *        +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 *        |                 report blocks (24 bytes each)                 |
 * </pre>
 */
public final class SenderReport {
    public static final int HEADER_LENGTH = 28;

    private byte[] buf;
    private int off;

    /** False unless PT=200 and the declared report blocks fit in {@code len}. */
    public boolean wrap(byte[] buf, int off, int len) {
        this.buf = null;
        if (buf == null || off < 0 || len < HEADER_LENGTH || off > buf.length - len
                || RtcpHeader.packetType(buf, off) != RtcpPacketType.SR
                || HEADER_LENGTH + ReportBlock.LENGTH * RtcpHeader.count(buf, off) > len) {
            return false;
        }
        this.buf = buf;
        this.off = off;
        return true;
    }

    public long ssrc() { return Bytes.readUint32(buf, off + 4); }
    /** 64-bit NTP timestamp (32.32 fixed point); see {@link NtpTime}. */
    public long ntpTimestamp() { return Bytes.readInt64(buf, off + 8); }
    public long rtpTimestamp() { return Bytes.readUint32(buf, off + 16); }
    public long packetCount() { return Bytes.readUint32(buf, off + 20); }
    public long octetCount() { return Bytes.readUint32(buf, off + 24); }
    public int reportCount() { return RtcpHeader.count(buf, off); }

    /** Points {@code into} at report block {@code i} and returns it. */
    public ReportBlock reportBlock(int i, ReportBlock into) {
        return into.wrap(buf, off + HEADER_LENGTH + ReportBlock.LENGTH * i);
    }

    /** Writes an SR with no report blocks; returns 28. */
    public static int write(byte[] buf, int off, long ssrc, long ntpTimestamp, long rtpTimestamp,
                            long packetCount, long octetCount) {
        RtcpHeader.write(buf, off, 0, RtcpPacketType.SR, HEADER_LENGTH);
        Bytes.writeUint32(buf, off + 4, ssrc);
        Bytes.writeInt64(buf, off + 8, ntpTimestamp);
        Bytes.writeUint32(buf, off + 16, rtpTimestamp);
        Bytes.writeUint32(buf, off + 20, packetCount);
        Bytes.writeUint32(buf, off + 24, octetCount);
        return HEADER_LENGTH;
    }
}

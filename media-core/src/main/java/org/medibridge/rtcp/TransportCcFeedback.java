package org.medibridge.rtcp;

import org.medibridge.rtp.Bytes;

/**
 * Transport-wide congestion control feedback,
 * draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1: PT=RTPFB (205), FMT=15. Only
 * recognised for now; the FCI starts with
 * <pre>
 * |      base sequence number     |      packet status count      |
 * |                 reference time                | fb pkt. count |
 * </pre>
 */
public final class TransportCcFeedback {
    public static final int FMT = 15;

    private byte[] buf;
    private int off;
    private boolean hasFciHeader;

    public boolean wrap(byte[] buf, int off, int len) {
        this.buf = null;
        if (!RtcpFeedback.matches(buf, off, len, RtcpPacketType.RTPFB, FMT)) {
            return false;
        }
        this.buf = buf;
        this.off = off;
        this.hasFciHeader = RtcpFeedback.fciLength(buf, off) >= 8;
        return true;
    }

    public long senderSsrc() { return RtcpFeedback.senderSsrc(buf, off); }
    public long mediaSsrc() { return RtcpFeedback.mediaSsrc(buf, off); }

    /** Base transport-wide sequence number, or -1 when the FCI is too short. */
    public int baseSequenceNumber() {
        return hasFciHeader ? Bytes.readUint16(buf, off + RtcpFeedback.HEADER_LENGTH) : -1;
    }

    /** Packet status count, or -1 when the FCI is too short. */
    public int packetStatusCount() {
        return hasFciHeader ? Bytes.readUint16(buf, off + RtcpFeedback.HEADER_LENGTH + 2) : -1;
    }
}

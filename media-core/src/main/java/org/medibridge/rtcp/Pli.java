package org.medibridge.rtcp;

/**
 * Picture Loss Indication, RFC 4585 §6.3.1: PT=PSFB (206), FMT=1, no FCI. The common feedback
 * header (see {@link RtcpFeedback}) is the whole message:
 * <pre>
 * |V=2|P| FMT=1   |   PT=206      |          length=2             |
 * |                  SSRC of packet sender                        |
 * |                  SSRC of media source                         |
 * </pre>
 */
public final class Pli {
    public static final int FMT = 1;
    public static final int LENGTH = 12;

    private byte[] buf;
    private int off;

    public boolean wrap(byte[] buf, int off, int len) {
        this.buf = null;
        if (!RtcpFeedback.matches(buf, off, len, RtcpPacketType.PSFB, FMT)) {
            return false;
        }
        this.buf = buf;
        this.off = off;
        return true;
    }

    public long senderSsrc() { return RtcpFeedback.senderSsrc(buf, off); }
    public long mediaSsrc() { return RtcpFeedback.mediaSsrc(buf, off); }

    public static int write(byte[] buf, int off, long senderSsrc, long mediaSsrc) {
        return RtcpFeedback.writeHeader(buf, off, RtcpPacketType.PSFB, FMT, LENGTH, senderSsrc, mediaSsrc);
    }
}

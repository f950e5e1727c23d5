package org.medibridge.rtcp;

import org.medibridge.rtp.Bytes;

/**
 * Full Intra Request, RFC 5104 §4.3.1: PT=PSFB (206), FMT=4. The header's media SSRC "SHALL be
 * set to 0"; each FCI entry names the SSRC asked for a key frame:
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                              SSRC                             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Seq nr.       |    Reserved                                   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * The sender increments Seq nr. (mod 256) for each new request, so that a repeated packet is not
 * mistaken for a new request.
 */
public final class Fir {
    public static final int FMT = 4;
    public static final int ENTRY_LENGTH = 8;
    public static final int LENGTH_ONE_ENTRY = RtcpFeedback.HEADER_LENGTH + ENTRY_LENGTH;

    private byte[] buf;
    private int off;
    private int entries;

    public boolean wrap(byte[] buf, int off, int len) {
        this.buf = null;
        if (!RtcpFeedback.matches(buf, off, len, RtcpPacketType.PSFB, FMT)) {
            return false;
        }
        this.buf = buf;
        this.off = off;
        this.entries = RtcpFeedback.fciLength(buf, off) / ENTRY_LENGTH;
        return true;
    }

    public long senderSsrc() { return RtcpFeedback.senderSsrc(buf, off); }
    /** The header's media SSRC (0 by RFC 5104); the target is {@link #entrySsrc}. */
    public long mediaSsrc() { return RtcpFeedback.mediaSsrc(buf, off); }
    public int entryCount() { return entries; }
    public long entrySsrc(int i) { return Bytes.readUint32(buf, off + RtcpFeedback.HEADER_LENGTH + ENTRY_LENGTH * i); }
    public int entrySeqNr(int i) { return buf[off + RtcpFeedback.HEADER_LENGTH + ENTRY_LENGTH * i + 4] & 0xFF; }

    /** Writes a FIR with one entry for {@code mediaSsrc}; the header's media SSRC is 0. Returns 20. */
    public static int write(byte[] buf, int off, long senderSsrc, long mediaSsrc, int seqNr) {
        RtcpFeedback.writeHeader(buf, off, RtcpPacketType.PSFB, FMT, LENGTH_ONE_ENTRY, senderSsrc, 0);
        int p = off + RtcpFeedback.HEADER_LENGTH;
        Bytes.writeUint32(buf, p, mediaSsrc);
        Bytes.writeUint32(buf, p + 4, (long) (seqNr & 0xFF) << 24);
        return LENGTH_ONE_ENTRY;
    }
}

package org.medibridge.rtcp;

import org.medibridge.rtp.Bytes;

/**
 * Receiver report, RFC 3550 §6.4.2:
 * <pre>
 *         0                   1                   2                   3
 *         0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * header |V=2|P|    RC   |   PT=RR=201   |             length            |
 *        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *        |                     SSRC of packet sender                     |
 *        +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 *        |                 report blocks (24 bytes each)                 |
 * </pre>
 */
public final class ReceiverReport {
    public static final int HEADER_LENGTH = 8;
    /** RC is 5 bits. */
    public static final int MAX_BLOCKS = 31;

    private byte[] buf;
    private int off;

    /** False unless PT=201 and the declared report blocks fit in {@code len}. */
    public boolean wrap(byte[] buf, int off, int len) {
        this.buf = null;
        if (buf == null || off < 0 || len < HEADER_LENGTH || off > buf.length - len
                || RtcpHeader.packetType(buf, off) != RtcpPacketType.RR
                || HEADER_LENGTH + ReportBlock.LENGTH * RtcpHeader.count(buf, off) > len) {
            return false;
        }
        this.buf = buf;
        this.off = off;
        return true;
    }

    public long senderSsrc() { return Bytes.readUint32(buf, off + 4); }
    public int reportCount() { return RtcpHeader.count(buf, off); }

    public ReportBlock reportBlock(int i, ReportBlock into) {
        return into.wrap(buf, off + HEADER_LENGTH + ReportBlock.LENGTH * i);
    }

    /**
     * Writes an RR whose blocks are copied from the given views (at most 31). Varargs allocate an
     * array per call: use {@link #writeOneBlock} on the per-packet path.
     */
    public static int write(byte[] buf, int off, long senderSsrc, ReportBlock... blocks) {
        if (blocks.length > MAX_BLOCKS) {
            throw new IllegalArgumentException("at most 31 report blocks, got " + blocks.length);
        }
        int length = HEADER_LENGTH + ReportBlock.LENGTH * blocks.length;
        RtcpHeader.write(buf, off, blocks.length, RtcpPacketType.RR, length);
        Bytes.writeUint32(buf, off + 4, senderSsrc);
        int p = off + HEADER_LENGTH;
        for (ReportBlock b : blocks) {
            System.arraycopy(b.buffer(), b.offset(), buf, p, ReportBlock.LENGTH);
            p += ReportBlock.LENGTH;
        }
        return length;
    }

    /** Writes an RR with one report block; returns 32. */
    public static int writeOneBlock(byte[] buf, int off, long senderSsrc, long sourceSsrc, int fractionLost,
                                    int cumulativeLost, long extHighestSeq, long jitter, long lsr, long dlsr) {
        int length = HEADER_LENGTH + ReportBlock.LENGTH;
        RtcpHeader.write(buf, off, 1, RtcpPacketType.RR, length);
        Bytes.writeUint32(buf, off + 4, senderSsrc);
        ReportBlock.write(buf, off + HEADER_LENGTH, sourceSsrc, fractionLost, cumulativeLost,
                extHighestSeq, jitter, lsr, dlsr);
        return length;
    }
}

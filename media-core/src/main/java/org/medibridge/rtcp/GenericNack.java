package org.medibridge.rtcp;

import org.medibridge.rtp.Bytes;
import org.medibridge.rtp.SequenceNumbers;

/**
 * Generic NACK, RFC 4585 §6.2.1: PT=RTPFB (205), FMT=1, FCI entries of
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |            PID                |             BLP               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * PID is a lost sequence number; bit i of BLP (least significant first) set means PID+i+1 is
 * lost too.
 */
public final class GenericNack {
    public static final int FMT = 1;
    public static final int FCI_LENGTH = 4;

    private byte[] buf;
    private int off;
    private int fciCount;

    public boolean wrap(byte[] buf, int off, int len) {
        this.buf = null;
        if (!RtcpFeedback.matches(buf, off, len, RtcpPacketType.RTPFB, FMT)) {
            return false;
        }
        this.buf = buf;
        this.off = off;
        this.fciCount = RtcpFeedback.fciLength(buf, off) / FCI_LENGTH;
        return true;
    }

    public long senderSsrc() { return RtcpFeedback.senderSsrc(buf, off); }
    public long mediaSsrc() { return RtcpFeedback.mediaSsrc(buf, off); }
    public int fciCount() { return fciCount; }
    public int pid(int i) { return Bytes.readUint16(buf, off + RtcpFeedback.HEADER_LENGTH + FCI_LENGTH * i); }
    public int blp(int i) { return Bytes.readUint16(buf, off + RtcpFeedback.HEADER_LENGTH + FCI_LENGTH * i + 2); }

    /**
     * Expands one PID+BLP into the lost sequence numbers, ascending, written to {@code out} from
     * {@code outOff} (room for 17 is always enough). Returns how many were written.
     */
    public static int expand(int pid, int blp, int[] out, int outOff) {
        int n = 0;
        out[outOff + n++] = pid & 0xFFFF;
        for (int bit = 0; bit < 16; bit++) {
            if ((blp & (1 << bit)) != 0) {
                out[outOff + n++] = SequenceNumbers.add(pid, bit + 1);
            }
        }
        return n;
    }

    /** Largest size {@link #write} can need for {@code count} sequence numbers. */
    public static int maxLength(int count) {
        return RtcpFeedback.HEADER_LENGTH + FCI_LENGTH * Math.max(1, count);
    }

    /**
     * Packs {@code lostSeqs[0..count)} into PID/BLP pairs and writes the NACK. Sequence numbers in
     * ascending order (with wrap-around) pack tightest; any order is encoded correctly. The
     * buffer needs {@link #maxLength(int)} bytes. Returns the bytes written.
     */
    public static int write(byte[] buf, int off, long senderSsrc, long mediaSsrc, int[] lostSeqs, int count) {
        if (count <= 0) {
            throw new IllegalArgumentException("a NACK needs at least one sequence number");
        }
        int p = off + RtcpFeedback.HEADER_LENGTH;
        int pid = lostSeqs[0] & 0xFFFF;
        int blp = 0;
        for (int i = 1; i < count; i++) {
            int seq = lostSeqs[i] & 0xFFFF;
            int d = SequenceNumbers.diff(seq, pid);
            if (d == 0) {
                continue;  // duplicate of the PID
            }
            if (d >= 1 && d <= 16) {
                blp |= 1 << (d - 1);
            } else {
                Bytes.writeUint16(buf, p, pid);
                Bytes.writeUint16(buf, p + 2, blp);
                p += FCI_LENGTH;
                pid = seq;
                blp = 0;
            }
        }
        Bytes.writeUint16(buf, p, pid);
        Bytes.writeUint16(buf, p + 2, blp);
        p += FCI_LENGTH;
        int length = p - off;
        RtcpFeedback.writeHeader(buf, off, RtcpPacketType.RTPFB, FMT, length, senderSsrc, mediaSsrc);
        return length;
    }
}

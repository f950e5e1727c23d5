package org.medibridge.rtcp;

import org.medibridge.rtp.Bytes;

/**
 * A reception report block, RFC 3550 §6.4.1 (24 bytes, in SR and RR):
 * <pre>
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |                 SSRC_1 (SSRC of first source)                 |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | fraction lost |       cumulative number of packets lost       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           extended highest sequence number received           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                      interarrival jitter                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         last SR (LSR)                         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                   delay since last SR (DLSR)                  |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * </pre>
 * A reusable view over (buf, off); the enclosing SR/RR checked the 24 bytes are there.
 */
public final class ReportBlock {
    public static final int LENGTH = 24;

    private byte[] buf;
    private int off;

    public ReportBlock wrap(byte[] buf, int off) {
        this.buf = buf;
        this.off = off;
        return this;
    }

    public byte[] buffer() { return buf; }
    public int offset() { return off; }

    public long sourceSsrc() { return Bytes.readUint32(buf, off); }
    /** Fraction lost as a fixed point number with the binary point at the left (0..255). */
    public int fractionLost() { return buf[off + 4] & 0xFF; }
    /** Cumulative lost, a 24-bit signed value (duplicates can make it negative). */
    public int cumulativeLost() { return (Bytes.readUint24(buf, off + 5) << 8) >> 8; }
    public long extendedHighestSequence() { return Bytes.readUint32(buf, off + 8); }
    public long jitter() { return Bytes.readUint32(buf, off + 12); }
    /** Middle 32 bits of the NTP timestamp of the last SR (see {@link NtpTime#compact}). */
    public long lastSr() { return Bytes.readUint32(buf, off + 16); }
    /** In units of 1/65536 s. */
    public long delaySinceLastSr() { return Bytes.readUint32(buf, off + 20); }

    /**
     * Writes one block. cumulativeLost is clamped to the 24-bit signed range, as RFC 3550 §6.4.1
     * asks ("clamped at 0x7FFFFF for positive loss or 0x800000 for negative loss").
     */
    public static int write(byte[] buf, int off, long sourceSsrc, int fractionLost, int cumulativeLost,
                            long extHighestSeq, long jitter, long lsr, long dlsr) {
        Bytes.writeUint32(buf, off, sourceSsrc);
        buf[off + 4] = (byte) fractionLost;
        int lost = Math.max(-0x800000, Math.min(0x7FFFFF, cumulativeLost));
        Bytes.writeUint24(buf, off + 5, lost & 0xFFFFFF);
        Bytes.writeUint32(buf, off + 8, extHighestSeq);
        Bytes.writeUint32(buf, off + 12, jitter);
        Bytes.writeUint32(buf, off + 16, lsr);
        Bytes.writeUint32(buf, off + 20, dlsr);
        return LENGTH;
    }
}

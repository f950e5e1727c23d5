package org.medibridge.rtcp;

import org.medibridge.rtp.Bytes;
import org.medibridge.rtp.SequenceNumbers;

/**
 * Transport-wide congestion control feedback,
 * draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1: PT=RTPFB (205), FMT=15.
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|  FMT=15 |    PT=205     |           length              |
 * |                     SSRC of packet sender                     |
 * |                      SSRC of media source                     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |      base sequence number     |      packet status count      |
 * |                 reference time                | fb pkt. count |
 * |          packet chunk         |         packet chunk          |
 * .                                                               .
 * |         packet chunk          |  recv delta   |  recv delta   |
 * .                                                               .
 * |           recv delta          |  recv delta   | zero padding  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * Packet chunks (§3.1.3, §3.1.4), each 16 bits:
 * <pre>
 * run length:    |T=0| S (2) |       run length (13)       |
 * status vector: |T=1|S=0| 14 one-bit symbols (0 lost, 1 small delta)  |
 *                |T=1|S=1|  7 two-bit symbols                          |
 * </pre>
 * Two-bit symbols (§3.1.1): 00 not received, 01 received with an 8-bit unsigned delta, 10
 * received with a 16-bit signed delta, 11 reserved. Deltas count 250 µs (§3.1.5); the first is
 * relative to the reference time (24-bit signed, 64 ms units), each next one to the previous
 * received packet.
 *
 * <p>A reusable, allocation-free flyweight: {@link #wrap} validates the whole packet once (every
 * chunk and delta in bounds, no reserved symbol), then {@link #forEach} walks it without
 * allocating. Trailing bytes after the last delta (the draft's zero padding) are ignored;
 * RTCP padding (P bit) is excluded by the length.
 */
public final class TransportCcFeedback {
    public static final int FMT = 15;
    /** Receive deltas are multiples of 250 µs (§3.1.5). */
    public static final int DELTA_TICK_MICROS = 250;
    /** The reference time counts 64 ms (§3.1). */
    public static final int REFERENCE_TIME_TICK_MICROS = 64_000;
    /** Two-bit status symbols (§3.1.1). */
    public static final int SYMBOL_NOT_RECEIVED = 0;
    public static final int SYMBOL_SMALL_DELTA = 1;
    public static final int SYMBOL_LARGE_DELTA = 2;
    static final int SYMBOL_RESERVED = 3;
    static final int FCI_HEADER_LENGTH = 8;
    static final int MAX_RUN_LENGTH = 0x1FFF;
    static final int ONE_BIT_CAPACITY = 14;
    static final int TWO_BIT_CAPACITY = 7;
    private static final int CHUNKS_OFFSET = RtcpFeedback.HEADER_LENGTH + FCI_HEADER_LENGTH;

    /** Receives one packet status at a time; primitive arguments, so a walk allocates nothing. */
    @FunctionalInterface
    public interface PacketVisitor {
        /**
         * @param sequenceNumber transport-wide sequence number, 0..65535
         * @param received       whether the packet arrived
         * @param arrivalMicros  arrival time relative to the reference time (the sum of the deltas
         *                       so far; may be negative); 0 when not received
         */
        void onPacket(int sequenceNumber, boolean received, long arrivalMicros);
    }

    private byte[] buf;
    private int off;
    private boolean hasFciHeader;
    private int deltasOffset;
    private int receivedCount;
    // Walk cursor, fields rather than locals so chunk decoding can share one helper.
    private int cursorDelta;
    private long cursorMicros;

    /** False unless RTPFB/FMT=15 and every chunk and delta the status count implies is in bounds. */
    public boolean wrap(byte[] buf, int off, int len) {
        this.buf = null;
        this.hasFciHeader = false;
        if (!RtcpFeedback.matches(buf, off, len, RtcpPacketType.RTPFB, FMT)) {
            return false;
        }
        int fciLength = RtcpFeedback.fciLength(buf, off);
        if (fciLength < FCI_HEADER_LENGTH) {
            return false;
        }
        int end = off + RtcpFeedback.HEADER_LENGTH + fciLength;
        int count = Bytes.readUint16(buf, off + RtcpFeedback.HEADER_LENGTH + 2);
        int p = off + CHUNKS_OFFSET;
        int seen = 0;
        int deltaBytes = 0;
        int received = 0;
        while (seen < count) {
            if (p + 2 > end) {
                return false;
            }
            int chunk = Bytes.readUint16(buf, p);
            p += 2;
            if ((chunk & 0x8000) == 0) {
                int symbol = (chunk >>> 13) & 3;
                int n = Math.min(chunk & MAX_RUN_LENGTH, count - seen);
                if (symbol == SYMBOL_RESERVED && n > 0) {
                    return false;
                }
                deltaBytes += n * symbol;
                received += symbol == SYMBOL_NOT_RECEIVED ? 0 : n;
                seen += n;
            } else if ((chunk & 0x4000) == 0) {
                int n = Math.min(ONE_BIT_CAPACITY, count - seen);
                // Only the first n symbols count: the unused tail of the last chunk is padding.
                int bits = Integer.bitCount((chunk & 0x3FFF) >>> (ONE_BIT_CAPACITY - n));
                deltaBytes += bits;
                received += bits;
                seen += n;
            } else {
                int n = Math.min(TWO_BIT_CAPACITY, count - seen);
                for (int i = 0; i < n; i++) {
                    int symbol = (chunk >>> (12 - 2 * i)) & 3;
                    if (symbol == SYMBOL_RESERVED) {
                        return false;
                    }
                    deltaBytes += symbol;
                    received += symbol == SYMBOL_NOT_RECEIVED ? 0 : 1;
                }
                seen += n;
            }
        }
        if (p + deltaBytes > end) {
            return false;
        }
        this.buf = buf;
        this.off = off;
        this.hasFciHeader = true;
        this.deltasOffset = p;
        this.receivedCount = received;
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

    /** Number of packets this feedback reports on, received or not (the packet status count). */
    public int packetCount() { return packetStatusCount(); }

    /** Number of packets reported as received. */
    public int receivedCount() { return receivedCount; }

    /** Reference time in 64 ms units, sign-extended from 24 bits. */
    public int referenceTime() {
        return (Bytes.readUint24(buf, off + RtcpFeedback.HEADER_LENGTH + 4) << 8) >> 8;
    }

    public long referenceTimeMicros() { return referenceTime() * (long) REFERENCE_TIME_TICK_MICROS; }

    /** Feedback packet count, 0..255: one more per feedback packet the receiver sent. */
    public int feedbackPacketCount() { return buf[off + RtcpFeedback.HEADER_LENGTH + 7] & 0xFF; }

    /**
     * Calls {@code visitor} for each reported packet, in sequence-number order from the base
     * (wrapping at 65535). Returns the number of packets visited ({@link #packetCount()}).
     */
    public int forEach(PacketVisitor visitor) {
        int count = packetStatusCount();
        int seq = baseSequenceNumber();
        int p = off + CHUNKS_OFFSET;
        cursorDelta = deltasOffset;
        cursorMicros = 0;
        int seen = 0;
        while (seen < count) {
            int chunk = Bytes.readUint16(buf, p);
            p += 2;
            if ((chunk & 0x8000) == 0) {
                int symbol = (chunk >>> 13) & 3;
                int n = Math.min(chunk & MAX_RUN_LENGTH, count - seen);
                for (int i = 0; i < n; i++) {
                    visit(visitor, seq, symbol);
                    seq = SequenceNumbers.add(seq, 1);
                }
                seen += n;
            } else if ((chunk & 0x4000) == 0) {
                int n = Math.min(ONE_BIT_CAPACITY, count - seen);
                for (int i = 0; i < n; i++) {
                    visit(visitor, seq, (chunk >>> (13 - i)) & 1);
                    seq = SequenceNumbers.add(seq, 1);
                }
                seen += n;
            } else {
                int n = Math.min(TWO_BIT_CAPACITY, count - seen);
                for (int i = 0; i < n; i++) {
                    visit(visitor, seq, (chunk >>> (12 - 2 * i)) & 3);
                    seq = SequenceNumbers.add(seq, 1);
                }
                seen += n;
            }
        }
        return count;
    }

    private void visit(PacketVisitor visitor, int seq, int symbol) {
        if (symbol == SYMBOL_NOT_RECEIVED) {
            visitor.onPacket(seq, false, 0);
            return;
        }
        int ticks;
        if (symbol == SYMBOL_SMALL_DELTA) {
            ticks = buf[cursorDelta] & 0xFF;
            cursorDelta += 1;
        } else {
            ticks = (short) Bytes.readUint16(buf, cursorDelta);
            cursorDelta += 2;
        }
        cursorMicros += ticks * (long) DELTA_TICK_MICROS;
        visitor.onPacket(seq, true, cursorMicros);
    }
}

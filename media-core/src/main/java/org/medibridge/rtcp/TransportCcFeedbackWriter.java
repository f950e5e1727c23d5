package org.medibridge.rtcp;

import static org.medibridge.rtcp.TransportCcFeedback.DELTA_TICK_MICROS;
import static org.medibridge.rtcp.TransportCcFeedback.MAX_RUN_LENGTH;
import static org.medibridge.rtcp.TransportCcFeedback.ONE_BIT_CAPACITY;
import static org.medibridge.rtcp.TransportCcFeedback.REFERENCE_TIME_TICK_MICROS;
import static org.medibridge.rtcp.TransportCcFeedback.SYMBOL_LARGE_DELTA;
import static org.medibridge.rtcp.TransportCcFeedback.SYMBOL_NOT_RECEIVED;
import static org.medibridge.rtcp.TransportCcFeedback.SYMBOL_SMALL_DELTA;
import static org.medibridge.rtcp.TransportCcFeedback.TWO_BIT_CAPACITY;

import org.medibridge.rtp.Bytes;
import org.medibridge.rtp.SequenceNumbers;

/**
 * Builds one transport-wide congestion control feedback packet
 * (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1; layout in
 * {@link TransportCcFeedback}). Reusable and allocation-free after construction:
 * {@link #reset}, then {@link #addReceived}/{@link #addLost} in ascending sequence-number order
 * (wrapping at 65535; a gap is reported as not received), then {@link #write}.
 *
 * <p>Chunks are chosen as packets are added, keeping up to 14 pending symbols: a run of one
 * symbol becomes a run-length chunk (up to 8191), otherwise 14 lost/small-delta symbols become a
 * one-bit status vector, and a large delta forces two-bit vectors of 7. That is what Chrome
 * emits: one-bit vectors under loss, long runs of "received, small delta" otherwise.
 *
 * <p>The reference time is the first received packet's arrival, rounded down to 64 ms; deltas
 * are rounded to 250 µs against the previous <em>encoded</em> time, so rounding never
 * accumulates. Padding to 32 bits uses the RTCP P bit with the pad count in the last byte, as
 * libwebrtc does; the FCI itself ends at the last delta.
 */
public final class TransportCcFeedbackWriter {
    /** Bytes of the header, the FCI header and one chunk: the smallest useful packet. */
    public static final int MIN_PACKET_BYTES = RtcpFeedback.HEADER_LENGTH + TransportCcFeedback.FCI_HEADER_LENGTH + 4;
    private static final int MAX_STATUS_COUNT = 0xFFFF;

    private final int maxPacketBytes;
    private final short[] chunks;
    private final byte[] deltas;
    private final byte[] pending = new byte[ONE_BIT_CAPACITY];
    private final byte[] savedPending = new byte[ONE_BIT_CAPACITY];

    private int baseSeq;
    private int feedbackPacketCount;
    private int nextSeq;
    private int statusCount;
    private int receivedCount;
    private int chunkCount;
    private int deltaBytes;
    /** Symbols not yet in {@link #chunks}; only the first 14 are stored, the rest are a run. */
    private int pendingSize;
    private boolean pendingAllSame;
    private boolean pendingHasLarge;
    private boolean hasReference;
    private long referenceTicks;
    private long lastMicros;

    // Saved state for rolling back an add that does not fit.
    private int sNextSeq, sStatusCount, sReceivedCount, sChunkCount, sDeltaBytes, sPendingSize;
    private boolean sPendingAllSame, sPendingHasLarge, sHasReference;
    private long sReferenceTicks, sLastMicros;

    /** @param maxPacketBytes upper bound on {@link #size()}, padding included, e.g. 1200 for an MTU */
    public TransportCcFeedbackWriter(int maxPacketBytes) {
        if (maxPacketBytes < MIN_PACKET_BYTES) {
            throw new IllegalArgumentException("maxPacketBytes " + maxPacketBytes + " < " + MIN_PACKET_BYTES);
        }
        this.maxPacketBytes = maxPacketBytes;
        // Slack: one add may overshoot (a gap's run-length chunks, a 2-byte delta) before the size check rolls it back.
        this.chunks = new short[maxPacketBytes / 2 + 8];
        this.deltas = new byte[maxPacketBytes + 2];
        reset(0, 0);
    }

    /** Starts a packet whose first status is for {@code baseSequenceNumber}. */
    public void reset(int baseSequenceNumber, int feedbackPacketCount) {
        this.baseSeq = baseSequenceNumber & 0xFFFF;
        this.feedbackPacketCount = feedbackPacketCount & 0xFF;
        this.nextSeq = baseSeq;
        this.statusCount = 0;
        this.receivedCount = 0;
        this.chunkCount = 0;
        this.deltaBytes = 0;
        this.pendingSize = 0;
        this.pendingAllSame = true;
        this.pendingHasLarge = false;
        this.hasReference = false;
    }

    public int baseSequenceNumber() { return baseSeq; }
    public int packetCount() { return statusCount; }
    public int receivedCount() { return receivedCount; }
    public int maxPacketBytes() { return maxPacketBytes; }

    /**
     * Reports {@code seq} as received at {@code arrivalMicros} (any time base, the same for the
     * whole packet), and any skipped sequence numbers before it as not received. Returns false,
     * leaving the packet unchanged, when it would outgrow {@link #maxPacketBytes()} or 65535
     * statuses, or its delta does not fit 16 signed bits of 250 µs (±8.19 s): start a new packet
     * with it then.
     *
     * @throws IllegalArgumentException if {@code seq} is not after the last added one
     */
    public boolean addReceived(int seq, long arrivalMicros) {
        int gap = gapTo(seq);
        save();
        if (!hasReference) {
            hasReference = true;
            referenceTicks = Math.floorDiv(arrivalMicros, REFERENCE_TIME_TICK_MICROS);
            lastMicros = referenceTicks * REFERENCE_TIME_TICK_MICROS;
        }
        long ticks = Math.floorDiv(arrivalMicros - lastMicros + DELTA_TICK_MICROS / 2, DELTA_TICK_MICROS);
        if (ticks < Short.MIN_VALUE || ticks > Short.MAX_VALUE || statusCount + gap + 1 > MAX_STATUS_COUNT) {
            restore();
            return false;
        }
        addLostSymbols(gap);
        int symbol = ticks >= 0 && ticks <= 0xFF ? SYMBOL_SMALL_DELTA : SYMBOL_LARGE_DELTA;
        addSymbol(symbol);
        if (symbol == SYMBOL_SMALL_DELTA) {
            deltas[deltaBytes++] = (byte) ticks;
        } else {
            Bytes.writeUint16(deltas, deltaBytes, (int) ticks);
            deltaBytes += 2;
        }
        lastMicros += ticks * DELTA_TICK_MICROS;
        receivedCount++;
        nextSeq = SequenceNumbers.add(seq, 1);
        if (size() > maxPacketBytes) {
            restore();
            return false;
        }
        return true;
    }

    /**
     * Reports every sequence number from the next one up to and including {@code seq} as not
     * received; gaps before {@link #addReceived} need no call. Returns false, packet unchanged,
     * when that does not fit.
     */
    public boolean addLost(int seq) {
        int gap = gapTo(seq);
        if (statusCount + gap + 1 > MAX_STATUS_COUNT) {
            return false;
        }
        save();
        addLostSymbols(gap + 1);
        nextSeq = SequenceNumbers.add(seq, 1);
        if (size() > maxPacketBytes) {
            restore();
            return false;
        }
        return true;
    }

    /** Size {@link #write} will produce, padding included. */
    public int size() {
        int chunkBytes = 2 * (chunkCount + (pendingSize > 0 ? 1 : 0));
        return (unpaddedSize(chunkBytes) + 3) & ~3;
    }

    /**
     * Writes the packet at {@code off}; the writer's state is not changed, so it can be written
     * again. Returns {@link #size()}.
     *
     * @throws IllegalStateException if nothing was added since {@link #reset}
     */
    public int write(byte[] buf, int off, long senderSsrc, long mediaSsrc) {
        if (statusCount == 0) {
            throw new IllegalStateException("a transport-cc feedback needs at least one packet status");
        }
        int length = size();
        RtcpFeedback.writeHeader(buf, off, RtcpPacketType.RTPFB, TransportCcFeedback.FMT, length, senderSsrc, mediaSsrc);
        int p = off + RtcpFeedback.HEADER_LENGTH;
        Bytes.writeUint16(buf, p, baseSeq);
        Bytes.writeUint16(buf, p + 2, statusCount);
        Bytes.writeUint24(buf, p + 4, (int) referenceTicks);  // low 24 bits, two's complement
        buf[p + 7] = (byte) feedbackPacketCount;
        p += TransportCcFeedback.FCI_HEADER_LENGTH;
        for (int i = 0; i < chunkCount; i++) {
            Bytes.writeUint16(buf, p, chunks[i]);
            p += 2;
        }
        if (pendingSize > 0) {
            Bytes.writeUint16(buf, p, encodeLastChunk());
            p += 2;
        }
        System.arraycopy(deltas, 0, buf, p, deltaBytes);
        p += deltaBytes;
        int padding = off + length - p;
        if (padding > 0) {
            // RFC 3550 §6.4.1: P bit set, the last octet counts the padding octets, itself included.
            buf[off] |= 0x20;
            for (int i = 0; i < padding - 1; i++) {
                buf[p++] = 0;
            }
            buf[p] = (byte) padding;
        }
        return length;
    }

    private int unpaddedSize(int chunkBytes) {
        return RtcpFeedback.HEADER_LENGTH + TransportCcFeedback.FCI_HEADER_LENGTH + chunkBytes + deltaBytes;
    }

    /** Number of sequence numbers skipped before {@code seq}. */
    private int gapTo(int seq) {
        int gap = (seq - nextSeq) & 0xFFFF;
        if (gap > 0x7FFF) {
            throw new IllegalArgumentException("sequence number " + (seq & 0xFFFF) + " is not after " + nextSeq);
        }
        return gap;
    }

    private void addLostSymbols(int n) {
        for (int i = 0; i < n; i++) {
            addSymbol(SYMBOL_NOT_RECEIVED);
        }
    }

    private void addSymbol(int symbol) {
        if (!canAdd(symbol)) {
            emitChunk();
        }
        if (pendingSize < ONE_BIT_CAPACITY) {
            pending[pendingSize] = (byte) symbol;
        }
        pendingAllSame = pendingSize == 0 || pendingAllSame && pending[0] == symbol;
        pendingHasLarge |= symbol == SYMBOL_LARGE_DELTA;
        pendingSize++;
        statusCount++;
    }

    private boolean canAdd(int symbol) {
        if (pendingSize < TWO_BIT_CAPACITY) {
            return true;
        }
        if (pendingSize < ONE_BIT_CAPACITY && !pendingHasLarge && symbol != SYMBOL_LARGE_DELTA) {
            return true;
        }
        return pendingAllSame && pending[0] == symbol && pendingSize < MAX_RUN_LENGTH;
    }

    /** Moves pending symbols into one chunk; a two-bit vector may leave up to 6 pending. */
    private void emitChunk() {
        if (pendingAllSame) {
            chunks[chunkCount++] = runLength(pending[0], pendingSize);
            pendingSize = 0;
            pendingHasLarge = false;
        } else if (pendingSize == ONE_BIT_CAPACITY) {
            chunks[chunkCount++] = oneBitVector(ONE_BIT_CAPACITY);
            pendingSize = 0;
            pendingHasLarge = false;
        } else {
            chunks[chunkCount++] = twoBitVector(TWO_BIT_CAPACITY);
            int rest = pendingSize - TWO_BIT_CAPACITY;
            System.arraycopy(pending, TWO_BIT_CAPACITY, pending, 0, rest);
            pendingSize = rest;
            pendingAllSame = true;
            pendingHasLarge = false;
            for (int i = 0; i < rest; i++) {
                pendingAllSame &= pending[i] == pending[0];
                pendingHasLarge |= pending[i] == SYMBOL_LARGE_DELTA;
            }
        }
    }

    private int encodeLastChunk() {
        if (pendingAllSame) {
            return runLength(pending[0], pendingSize);
        }
        return pendingSize <= TWO_BIT_CAPACITY ? twoBitVector(pendingSize) : oneBitVector(pendingSize);
    }

    /** |T=0| S |  run length (13)  | */
    private static short runLength(int symbol, int length) {
        return (short) ((symbol << 13) | length);
    }

    /** |T=1|S=0| 14 symbols |, unused trailing symbols 0. */
    private short oneBitVector(int n) {
        int chunk = 0x8000;
        for (int i = 0; i < n; i++) {
            chunk |= pending[i] << (13 - i);
        }
        return (short) chunk;
    }

    /** |T=1|S=1| 7 symbols |, unused trailing symbols 0. */
    private short twoBitVector(int n) {
        int chunk = 0xC000;
        for (int i = 0; i < n; i++) {
            chunk |= pending[i] << (12 - 2 * i);
        }
        return (short) chunk;
    }

    private void save() {
        sNextSeq = nextSeq;
        sStatusCount = statusCount;
        sReceivedCount = receivedCount;
        sChunkCount = chunkCount;
        sDeltaBytes = deltaBytes;
        sPendingSize = pendingSize;
        sPendingAllSame = pendingAllSame;
        sPendingHasLarge = pendingHasLarge;
        sHasReference = hasReference;
        sReferenceTicks = referenceTicks;
        sLastMicros = lastMicros;
        System.arraycopy(pending, 0, savedPending, 0, ONE_BIT_CAPACITY);
    }

    private void restore() {
        nextSeq = sNextSeq;
        statusCount = sStatusCount;
        receivedCount = sReceivedCount;
        chunkCount = sChunkCount;
        deltaBytes = sDeltaBytes;
        pendingSize = sPendingSize;
        pendingAllSame = sPendingAllSame;
        pendingHasLarge = sPendingHasLarge;
        hasReference = sHasReference;
        referenceTicks = sReferenceTicks;
        lastMicros = sLastMicros;
        System.arraycopy(savedPending, 0, pending, 0, ONE_BIT_CAPACITY);
    }
}

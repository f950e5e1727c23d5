package org.medibridge.bwe;

import org.medibridge.rtcp.TransportCcFeedbackWriter;
import org.medibridge.rtp.SequenceNumbers;

/**
 * The SFU as a transport-cc <em>receiver</em> toward a publisher that negotiated
 * {@code transport-cc}: records when each transport-wide sequence number arrived and reports them
 * in transport-wide congestion control feedback
 * (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1, written by
 * {@link TransportCcFeedbackWriter}), so the publisher's own estimator works.
 *
 * <p>Arrivals live in a ring of {@code window} packets indexed by the unwrapped (64-bit) sequence
 * number; {@link #onPacketReceived} allocates nothing. Duplicates are ignored; packets more than
 * {@code window} behind the highest are dropped (counted). Sequence numbers not received by the
 * time the feedback covers them are reported as not received. A packet that arrives after it was
 * reported lost moves the report start back to it, so the next feedback corrects the loss (and
 * repeats the statuses after it, as libwebrtc's receiver does; the sender keeps the first
 * "received").
 *
 * <p>Call {@link #buildFeedback} every 50–100 ms and again while it returns non-zero: each call
 * writes one packet of at most {@code maxPacketBytes}, so a burst that does not fit is split.
 * Single-threaded, like the rest of a room's media state.
 */
public final class TransportFeedbackGenerator {
    public static final int DEFAULT_WINDOW = 4096;
    /** Leaves room for SRTCP's trailer and other packets of the compound inside a 1500-byte MTU. */
    public static final int DEFAULT_MAX_PACKET_BYTES = 1200;
    public static final int MIN_MAX_PACKET_BYTES = 64;

    private final int mask;
    private final int window;
    private final long[] slotSeq;
    private final long[] slotArrivalNanos;
    private final TransportCcFeedbackWriter writer;

    private boolean started;
    private long highest;
    private long nextToReport;
    private int feedbackPacketCount;
    private long duplicates;
    private long tooOld;

    public TransportFeedbackGenerator() {
        this(DEFAULT_WINDOW, DEFAULT_MAX_PACKET_BYTES);
    }

    /**
     * @param window         packets remembered, a power of two up to 32768
     * @param maxPacketBytes largest feedback packet written
     */
    public TransportFeedbackGenerator(int window, int maxPacketBytes) {
        if (window < 2 || window > 0x8000 || Integer.bitCount(window) != 1) {
            throw new IllegalArgumentException("window must be a power of two in 2..32768, got " + window);
        }
        if (maxPacketBytes < MIN_MAX_PACKET_BYTES) {
            throw new IllegalArgumentException("maxPacketBytes must be at least " + MIN_MAX_PACKET_BYTES);
        }
        this.window = window;
        this.mask = window - 1;
        this.slotSeq = new long[window];
        this.slotArrivalNanos = new long[window];
        this.writer = new TransportCcFeedbackWriter(maxPacketBytes);
        java.util.Arrays.fill(slotSeq, Long.MIN_VALUE);
    }

    /** Records the arrival of the RTP packet whose transport-wide sequence number is {@code transportSeq}. */
    public void onPacketReceived(int transportSeq, long arrivalNanos) {
        int seq = transportSeq & 0xFFFF;
        long u;
        if (!started) {
            started = true;
            u = seq;
            highest = u;
            nextToReport = u;
        } else {
            u = highest + SequenceNumbers.diff(seq, (int) highest & 0xFFFF);
            if (u <= highest - window) {
                tooOld++;
                return;
            }
            if (u > highest) {
                highest = u;
                // Statuses that left the ring unreported cannot be reported any more.
                nextToReport = Math.max(nextToReport, highest - window + 1);
            }
        }
        int i = (int) u & mask;
        if (slotSeq[i] == u) {
            duplicates++;
            return;
        }
        slotSeq[i] = u;
        slotArrivalNanos[i] = arrivalNanos;
        if (u < nextToReport) {
            nextToReport = u;
        }
    }

    /**
     * Writes one feedback packet covering the packets since the last one, at most
     * {@code maxPacketBytes}. Returns the bytes written, 0 when there is nothing new; call again
     * while it returns non-zero. {@code buf} needs {@code maxPacketBytes} from {@code off}.
     * {@code nowNanos} is not needed by this implementation (the reference time comes from the
     * arrivals) and is kept for the RTCP scheduler's uniform calling convention.
     */
    public int buildFeedback(byte[] buf, int off, long senderSsrc, long mediaSsrc, long nowNanos) {
        if (!started || nextToReport > highest) {
            return 0;
        }
        writer.reset((int) nextToReport & 0xFFFF, feedbackPacketCount);
        long lastAdded = nextToReport - 1;
        for (long u = nextToReport; u <= highest; u++) {
            int i = (int) u & mask;
            if (slotSeq[i] == u) {
                if (!writer.addReceived((int) u & 0xFFFF, Math.floorDiv(slotArrivalNanos[i], 1000))) {
                    break;  // full, or the delta needs a new reference time
                }
                lastAdded = u;
            }
        }
        if (writer.receivedCount() == 0) {
            // Unreachable with maxPacketBytes >= MIN_MAX_PACKET_BYTES (a gap costs at most 5
            // run-length chunks); skip the gap rather than loop.
            nextToReport = highest + 1;
            return 0;
        }
        // The next packet starts right after the last one reported, so a gap cut off at the
        // split is still reported as lost.
        nextToReport = lastAdded + 1;
        feedbackPacketCount = (feedbackPacketCount + 1) & 0xFF;
        return writer.write(buf, off, senderSsrc, mediaSsrc);
    }

    /** Whether {@link #buildFeedback} has something to write. */
    public boolean hasPendingFeedback() { return started && nextToReport <= highest; }

    public long duplicateCount() { return duplicates; }
    public long tooOldCount() { return tooOld; }
}

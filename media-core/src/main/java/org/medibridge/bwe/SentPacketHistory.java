package org.medibridge.bwe;

import java.util.ArrayList;
import java.util.List;
import org.medibridge.rtcp.TransportCcFeedback;
import org.medibridge.rtp.SequenceNumbers;

/**
 * The SFU as a transport-cc <em>sender</em> toward a subscriber: remembers what was sent under
 * each transport-wide sequence number, and turns the subscriber's feedback
 * (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1, read by {@link TransportCcFeedback})
 * into {@link PacketResult}s for the estimator.
 *
 * <p>A ring of {@code capacity} packets indexed by the unwrapped (64-bit) sequence number;
 * {@link #onPacketSent} allocates nothing. Feedback about sequence numbers never sent, or older
 * than the ring, is ignored and counted. Each packet is reported at most once as lost and at
 * most once as received: receivers (libwebrtc) re-send statuses when a late packet reopens their
 * window, so a packet reported lost may later be reported received, and that correction is
 * passed on; any repeat after "received" is dropped.
 *
 * <p>Arrival times: each feedback gives arrivals relative to its reference time, a 24-bit count
 * of 64 ms in the receiver's clock that wraps every ~12.4 days. References are unwrapped against
 * the previous feedback, and the first feedback's reference is placed at its local
 * {@code nowNanos}: one continuous scale on which only differences between arrivals are
 * meaningful. Single-threaded, like the rest of a room's media state.
 */
public final class SentPacketHistory {
    public static final int DEFAULT_CAPACITY = 8192;
    private static final long REFERENCE_TICK_NANOS = TransportCcFeedback.REFERENCE_TIME_TICK_MICROS * 1000L;
    private static final byte REPORTED_LOST = 2;
    private static final byte REPORTED_RECEIVED = 4;

    /** Receives one result at a time; primitive arguments, so a feedback walk allocates nothing. */
    @FunctionalInterface
    public interface ResultVisitor {
        /**
         * @param arrivalNanos on the feedback scale, or {@link PacketResult#NOT_RECEIVED}
         * @param probeCluster the probe cluster id given when sent, or {@link PacketResult#NOT_PROBE}
         */
        void onPacketResult(long sendNanos, long arrivalNanos, int size, int probeCluster);
    }

    private final int mask;
    private final long[] slotSeq;
    private final long[] slotSendNanos;
    private final int[] slotSize;
    private final byte[] slotFlags;
    private final int[] slotCluster;
    private final TransportCcFeedback.PacketVisitor walker = this::onStatus;

    private boolean started;
    private long highestSent;
    private boolean hasReference;
    private int lastReference;
    private long referenceOriginNanos;
    private long unwrappedReference;
    private ResultVisitor current;
    private int visited;
    private long ignored;

    public SentPacketHistory() {
        this(DEFAULT_CAPACITY);
    }

    /** @param capacity packets remembered, a power of two (at 1000 packets/s, 8192 is 8 s) */
    public SentPacketHistory(int capacity) {
        if (capacity < 2 || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two, got " + capacity);
        }
        this.mask = capacity - 1;
        this.slotSeq = new long[capacity];
        this.slotSendNanos = new long[capacity];
        this.slotSize = new int[capacity];
        this.slotFlags = new byte[capacity];
        this.slotCluster = new int[capacity];
        java.util.Arrays.fill(slotSeq, Long.MIN_VALUE);
    }

    /**
     * Records a packet carrying {@code transportSeq} (16 bits) as it leaves. Allocation-free.
     *
     * @param probeCluster the id (>= 0) of the probe cluster the packet belongs to, or
     *                     {@link PacketResult#NOT_PROBE} for media and retransmissions
     */
    public void onPacketSent(int transportSeq, long sendNanos, int sizeBytes, int probeCluster) {
        long u;
        if (!started) {
            started = true;
            u = transportSeq & 0xFFFF;
            highestSent = u;
        } else {
            u = unwrap(transportSeq);
            if (u > highestSent) {
                highestSent = u;
            } else if (u <= highestSent - slotSeq.length) {
                return;
            }
        }
        int i = (int) u & mask;
        slotSeq[i] = u;
        slotSendNanos[i] = sendNanos;
        slotSize[i] = sizeBytes;
        slotFlags[i] = 0;
        slotCluster[i] = probeCluster < 0 ? PacketResult.NOT_PROBE : probeCluster;
    }

    /**
     * Passes the packets {@code fb} newly reports on to {@code visitor}, in sequence-number (send)
     * order. Allocation-free. Returns how many were passed on.
     */
    public int onFeedback(TransportCcFeedback fb, long nowNanos, ResultVisitor visitor) {
        int reference = fb.referenceTime();
        if (!hasReference) {
            hasReference = true;
            unwrappedReference = reference;
            referenceOriginNanos = nowNanos - reference * REFERENCE_TICK_NANOS;
        } else {
            // Signed 24-bit difference: a reordered older feedback steps back, a wrap steps forward.
            unwrappedReference += ((reference - lastReference) << 8) >> 8;
        }
        lastReference = reference;
        current = visitor;
        visited = 0;
        fb.forEach(walker);
        current = null;
        return visited;
    }

    /** {@link #onFeedback(TransportCcFeedback, long, ResultVisitor)} collected into a new list. */
    public List<PacketResult> onFeedback(TransportCcFeedback fb, long nowNanos) {
        List<PacketResult> results = new ArrayList<>(fb.packetCount());
        onFeedback(fb, nowNanos, (send, arrival, size, cluster) -> results.add(new PacketResult(send, arrival, size, cluster)));
        return results;
    }

    /**
     * The probe cluster recorded for {@code transportSeq}, {@link PacketResult#NOT_PROBE}, or
     * {@link Integer#MIN_VALUE} when that sequence number is not (or no longer) in the ring.
     * For diagnostics and tests.
     */
    public int probeClusterOf(int transportSeq) {
        if (!started) {
            return Integer.MIN_VALUE;
        }
        long u = unwrap(transportSeq);
        int i = (int) u & mask;
        return slotSeq[i] == u ? slotCluster[i] : Integer.MIN_VALUE;
    }

    /** Feedback statuses ignored because their sequence number was never sent or has left the ring. */
    public long ignoredCount() { return ignored; }

    private void onStatus(int seq, boolean received, long arrivalMicros) {
        long u = started ? unwrap(seq) : Long.MIN_VALUE;
        int i = (int) u & mask;
        if (!started || u > highestSent || slotSeq[i] != u) {
            ignored++;
            return;
        }
        byte flags = slotFlags[i];
        if ((flags & REPORTED_RECEIVED) != 0 || !received && (flags & REPORTED_LOST) != 0) {
            return;
        }
        long arrivalNanos = PacketResult.NOT_RECEIVED;
        if (received) {
            slotFlags[i] = (byte) (flags | REPORTED_RECEIVED);
            arrivalNanos = referenceOriginNanos + unwrappedReference * REFERENCE_TICK_NANOS + arrivalMicros * 1000;
        } else {
            slotFlags[i] = (byte) (flags | REPORTED_LOST);
        }
        visited++;
        current.onPacketResult(slotSendNanos[i], arrivalNanos, slotSize[i], slotCluster[i]);
    }

    /** Places a 16-bit sequence number within ±32768 of the highest sent. */
    private long unwrap(int seq) {
        return highestSent + SequenceNumbers.diff(seq, (int) highestSent & 0xFFFF);
    }
}

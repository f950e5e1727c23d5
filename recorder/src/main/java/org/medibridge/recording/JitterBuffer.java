package org.medibridge.recording;

import java.io.IOException;
import org.medibridge.rtp.SequenceNumbers;

/**
 * Puts one stream's RTP packets back in sequence order (RFC 3550 §5.1 sequence numbers, compared
 * with {@link SequenceNumbers} serial arithmetic).
 * <p>
 * A packet that arrives in order goes out at once. Behind a gap, packets are held until the
 * missing one comes, or until the oldest held packet has waited {@code maxDelayNanos}, or until
 * the held span would exceed {@code capacity} packets; then the buffer moves past the gap and the
 * missing packets are declared lost ({@link Listener#onLoss}). A packet older than what already
 * went out (late, or a duplicate) is discarded.
 * <p>
 * Owned by the recorder's writer thread; allocation-free after construction.
 */
final class JitterBuffer {
    interface Listener {
        /** The next packet in sequence order; the listener now owns it. */
        void onPacket(QueuedPacket p) throws IOException;

        /** {@code count} packets just before the next {@link #onPacket} never arrived in time. */
        void onLoss(int count) throws IOException;

        /** A late or duplicate packet the buffer does not use; the listener now owns it. */
        void onDiscard(QueuedPacket p);
    }

    private final QueuedPacket[] slots;
    private final int mask;
    private final long maxDelayNanos;
    private final Listener listener;

    /** The sequence number that goes out next; -1 before the first packet. */
    private int next = -1;
    private int held;

    /** @param capacity a power of two: the most packets held behind a gap */
    JitterBuffer(int capacity, long maxDelayNanos, Listener listener) {
        if (Integer.bitCount(capacity) != 1 || capacity > 16384) {
            throw new IllegalArgumentException("capacity must be a power of two <= 16384: " + capacity);
        }
        this.slots = new QueuedPacket[capacity];
        this.mask = capacity - 1;
        this.maxDelayNanos = maxDelayNanos;
        this.listener = listener;
    }

    /** Takes ownership of {@code p}; releases what is now in order, then what waited too long. */
    void insert(QueuedPacket p) throws IOException {
        if (next < 0) {
            next = p.sequence;
        }
        int d = SequenceNumbers.diff(p.sequence, next);
        if (d < 0) {
            listener.onDiscard(p);  // late (its place was declared lost) or a duplicate
            return;
        }
        if (d >= slots.length) {
            // The N-packet bound: move past gaps until p fits in the window.
            while (held > 0 && SequenceNumbers.diff(p.sequence, next) >= slots.length) {
                skipGap();
            }
            d = SequenceNumbers.diff(p.sequence, next);
            if (d >= slots.length) {  // nothing held: jump straight to p
                listener.onLoss(d);
                next = p.sequence;
            }
        }
        int i = p.sequence & mask;
        if (slots[i] != null) {
            listener.onDiscard(p);  // duplicate of a held packet
            return;
        }
        slots[i] = p;
        held++;
        drain();
        expire(p.arrivalNanos);
    }

    /** Declares lost what the oldest held packet has waited for longer than the maximum delay. */
    void expire(long nowNanos) throws IOException {
        while (held > 0) {
            QueuedPacket first = firstHeld();
            if (nowNanos - first.arrivalNanos < maxDelayNanos) {
                return;
            }
            skipGap();
        }
    }

    /** End of stream: releases everything held, declaring the gaps lost. */
    void flush() throws IOException {
        while (held > 0) {
            skipGap();
        }
    }

    int held() {
        return held;
    }

    /** Precondition: held > 0 and the slot of {@code next} is empty (drain ran). */
    private void skipGap() throws IOException {
        QueuedPacket first = firstHeld();
        listener.onLoss(SequenceNumbers.diff(first.sequence, next));
        next = first.sequence;
        drain();
    }

    private QueuedPacket firstHeld() {
        for (int s = next; ; s = SequenceNumbers.add(s, 1)) {
            QueuedPacket p = slots[s & mask];
            if (p != null) {
                return p;
            }
        }
    }

    private void drain() throws IOException {
        QueuedPacket p;
        while (held > 0 && (p = slots[next & mask]) != null) {
            slots[next & mask] = null;
            held--;
            next = SequenceNumbers.add(next, 1);
            listener.onPacket(p);
        }
    }
}

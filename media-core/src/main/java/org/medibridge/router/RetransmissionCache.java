package org.medibridge.router;

/**
 * The last {@code capacity} packets sent on one subscriber leg, by outgoing sequence number,
 * stored as rewritten plaintext so that a NACK (RFC 4585 §6.2.1) is answered by protecting and
 * resending the copy. Slots are allocated once, on first use, and reused: storing allocates
 * nothing per packet. Owned by the room's worker thread.
 */
final class RetransmissionCache {
    private final int capacity;
    private final long maxAgeNanos;
    private byte[][] slots;
    private final int[] lengths;
    private final int[] seqs;
    private final long[] storedNanos;
    /** When each slot's packet was last resent (0: not yet). */
    private final long[] resentNanos;
    /** {@link #copy} result: the packet was resent less than the given interval ago. */
    static final int TOO_SOON = -2;

    RetransmissionCache(int capacity, int slotSize, int maxAgeMillis) {
        if (Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two");
        }
        this.capacity = capacity;
        // long arithmetic: 3000 ms is 3e9 ns, past Integer.MAX_VALUE (an int here overflowed to a
        // negative age limit, and every NACK missed).
        this.maxAgeNanos = maxAgeMillis * 1_000_000L;
        this.slotSize = slotSize;
        this.lengths = new int[capacity];
        this.seqs = new int[capacity];
        this.storedNanos = new long[capacity];
        this.resentNanos = new long[capacity];
        for (int i = 0; i < capacity; i++) {
            seqs[i] = -1;
        }
    }

    private final int slotSize;

    void store(int seq, byte[] buf, int off, int len, long nowNanos) {
        if (len > slotSize) {
            return;
        }
        if (slots == null) {
            slots = new byte[capacity][];
        }
        int i = seq & (capacity - 1);
        byte[] slot = slots[i];
        if (slot == null) {
            slot = new byte[slotSize];
            slots[i] = slot;
        }
        System.arraycopy(buf, off, slot, 0, len);
        lengths[i] = len;
        seqs[i] = seq;
        storedNanos[i] = nowNanos;
        resentNanos[i] = 0;
    }

    /**
     * Copies packet {@code seq} into {@code dst} at {@code dstOff} for a resend and returns its
     * length; -1 when it is not (or no longer) cached, {@link #TOO_SOON} when it was resent less
     * than {@code minResendIntervalNanos} ago.
     */
    int copy(int seq, byte[] dst, int dstOff, long nowNanos, long minResendIntervalNanos) {
        if (slots == null) {
            return -1;
        }
        int i = seq & (capacity - 1);
        if (seqs[i] != seq || slots[i] == null || nowNanos - storedNanos[i] > maxAgeNanos) {
            return -1;
        }
        if (resentNanos[i] != 0 && nowNanos - resentNanos[i] < minResendIntervalNanos) {
            return TOO_SOON;
        }
        resentNanos[i] = nowNanos == 0 ? 1 : nowNanos;
        System.arraycopy(slots[i], 0, dst, dstOff, lengths[i]);
        return lengths[i];
    }
}

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
    }

    /**
     * Copies packet {@code seq} into {@code dst} at {@code dstOff} and returns its length, or -1
     * when it is not (or no longer) cached.
     */
    int copy(int seq, byte[] dst, int dstOff, long nowNanos) {
        if (slots == null) {
            return -1;
        }
        int i = seq & (capacity - 1);
        if (seqs[i] != seq || slots[i] == null || nowNanos - storedNanos[i] > maxAgeNanos) {
            return -1;
        }
        System.arraycopy(slots[i], 0, dst, dstOff, lengths[i]);
        return lengths[i];
    }
}

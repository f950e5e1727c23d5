package org.medibridge.rtp;

/**
 * Where a rewriter skipped (did not forward) input values, so that a value that arrives late
 * — a retransmission, a reordered packet — is mapped as it would have been on time.
 * <p>
 * A rewriter that closes the hole of every skipped value lowers its offset by one per skip. A
 * late value {@code v} went out, on time, with the offset before the skips that came after it:
 * {@code out(v) = v + offset + (skips after v)}. This log keeps the positions (unwrapped, as the
 * rewriter counts them) of the last {@link #capacity} skips; once older ones are overwritten, a
 * value older than the oldest overwritten one can no longer be mapped and {@link #countAfter}
 * says so. Fixed array, nothing allocated after construction.
 */
public final class SkipLog {
    private final long[] positions;
    private int next;
    private int size;
    /** Values at or after this position have every later skip in the log. */
    private long completeFrom;

    public SkipLog(int capacity) {
        this.positions = new long[capacity];
    }

    public int capacity() {
        return positions.length;
    }

    /** Forgets every skip; values from {@code position} on can be mapped. */
    public void reset(long position) {
        next = 0;
        size = 0;
        completeFrom = position;
    }

    /** A skip at {@code position}, newer than every skip before it. */
    public void add(long position) {
        if (size == positions.length) {
            completeFrom = Math.max(completeFrom, positions[next]);
        } else {
            size++;
        }
        positions[next] = position;
        next = next + 1 == positions.length ? 0 : next + 1;
    }

    /** How many skips lie after {@code position}, or -1 when the log no longer reaches back to it. */
    public int countAfter(long position) {
        if (position < completeFrom) {
            return -1;
        }
        int n = 0;
        // Newest first: the skips after a late value are the most recent ones.
        for (int i = 1; i <= size; i++) {
            int idx = next - i < 0 ? next - i + positions.length : next - i;
            if (positions[idx] <= position) {
                break;
            }
            n++;
        }
        return n;
    }
}

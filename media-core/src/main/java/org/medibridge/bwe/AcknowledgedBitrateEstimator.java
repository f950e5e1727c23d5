package org.medibridge.bwe;

/**
 * The rate at which the receiver acknowledged our packets: bytes that arrived during the last
 * {@link #WINDOW_NANOS} of receiver time. On over-use the rate controller decreases to a fraction
 * of this (what the bottleneck actually delivered), not of what we tried to send, which is what
 * stops the estimate from collapsing while a standing queue drains.
 *
 * <p>A ring of (arrival, size) samples; it grows only while the window holds more packets than
 * ever before, so steady state allocates nothing.
 */
final class AcknowledgedBitrateEstimator {
    static final long WINDOW_NANOS = 500_000_000L;
    /** Before this much receive time has been seen there is no estimate. */
    static final long MIN_SPAN_NANOS = 150_000_000L;

    private long[] arrivals = new long[256];
    private int[] sizes = new int[256];
    private int head;
    private int count;
    private long bytesInWindow;
    private long latestArrival = Long.MIN_VALUE;
    private long firstArrival = Long.MIN_VALUE;

    void onPacket(long arrivalNanos, int sizeBytes) {
        if (firstArrival == Long.MIN_VALUE) {
            firstArrival = arrivalNanos;
        }
        // NOTE: reordered arrivals count at the newest time seen: the window stays monotone.
        latestArrival = Math.max(latestArrival, arrivalNanos);
        if (count == arrivals.length) {
            grow();
        }
        int tail = (head + count) % arrivals.length;
        arrivals[tail] = latestArrival;
        sizes[tail] = sizeBytes;
        count++;
        bytesInWindow += sizeBytes;
        while (count > 0 && arrivals[head] <= latestArrival - WINDOW_NANOS) {
            bytesInWindow -= sizes[head];
            head = (head + 1) % arrivals.length;
            count--;
        }
    }

    /** Acknowledged bitrate in bit/s, or -1 while fewer than 150 ms of arrivals were seen. */
    long bitrateBps() {
        if (firstArrival == Long.MIN_VALUE) {
            return -1;
        }
        long span = Math.min(WINDOW_NANOS, latestArrival - firstArrival);
        if (span < MIN_SPAN_NANOS) {
            return -1;
        }
        return bytesInWindow * 8 * 1_000_000_000L / span;
    }

    private void grow() {
        long[] a = new long[arrivals.length * 2];
        int[] s = new int[arrivals.length * 2];
        for (int i = 0; i < count; i++) {
            a[i] = arrivals[(head + i) % arrivals.length];
            s[i] = sizes[(head + i) % arrivals.length];
        }
        arrivals = a;
        sizes = s;
        head = 0;
    }
}

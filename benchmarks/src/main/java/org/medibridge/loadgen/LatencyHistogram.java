package org.medibridge.loadgen;

/**
 * Fixed log-linear buckets of microseconds (HDR-histogram style, ~1.6 % precision): bucket
 * {@code (e, m)} holds values whose highest set bit is {@code e} and whose next 6 bits are
 * {@code m}. Recording is an array increment, no allocation. One writer thread; readers take
 * {@link #copy()}s, which may be a packet or two behind.
 */
final class LatencyHistogram {
    private static final int SUB_BITS = 6;
    private static final int SUB = 1 << SUB_BITS;
    /** Up to 2^32 µs (≈ 70 min); larger values land in the last bucket. */
    private static final int EXPONENTS = 32;
    /** Values below {@link #SUB} map 1:1, then {@link #SUB} buckets per power of two up to 2^31. */
    static final int BUCKETS = (EXPONENTS - SUB_BITS + 1) * SUB;

    private final long[] counts;
    private long total;
    private long maxMicros;

    LatencyHistogram() {
        this.counts = new long[BUCKETS];
    }

    private LatencyHistogram(long[] counts, long total, long maxMicros) {
        this.counts = counts;
        this.total = total;
        this.maxMicros = maxMicros;
    }

    void record(long micros) {
        if (micros < 0) {
            micros = 0;
        }
        counts[index(micros)]++;
        total++;
        if (micros > maxMicros) {
            maxMicros = micros;
        }
    }

    static int index(long v) {
        if (v < SUB) {
            return (int) v;
        }
        int e = 63 - Long.numberOfLeadingZeros(v); // >= SUB_BITS
        if (e >= EXPONENTS) {
            return BUCKETS - 1;
        }
        int m = (int) (v >>> (e - SUB_BITS)) & (SUB - 1);
        return (e - SUB_BITS + 1) * SUB + m;
    }

    /** The smallest value that falls in bucket {@code i}. */
    static long lowerBound(int i) {
        if (i < SUB) {
            return i;
        }
        int e = i / SUB + SUB_BITS - 1;
        int m = i % SUB;
        return (1L << e) | ((long) m << (e - SUB_BITS));
    }

    LatencyHistogram copy() {
        return new LatencyHistogram(counts.clone(), total, maxMicros);
    }

    /** This minus an earlier copy of the same histogram (the max stays the all-time max). */
    LatencyHistogram minus(LatencyHistogram earlier) {
        long[] d = counts.clone();
        long t = total;
        if (earlier != null) {
            for (int i = 0; i < d.length; i++) {
                d[i] -= earlier.counts[i];
            }
            t -= earlier.total;
        }
        return new LatencyHistogram(d, t, maxMicros);
    }

    void add(LatencyHistogram other) {
        for (int i = 0; i < counts.length; i++) {
            counts[i] += other.counts[i];
        }
        total += other.total;
        maxMicros = Math.max(maxMicros, other.maxMicros);
    }

    long total() {
        return total;
    }

    /** Upper bound of the largest value recorded in a window's buckets. */
    long maxInWindowMicros() {
        for (int i = counts.length - 1; i >= 0; i--) {
            if (counts[i] > 0) {
                return i + 1 < counts.length ? lowerBound(i + 1) - 1 : lowerBound(i);
            }
        }
        return 0;
    }

    /** The value at quantile {@code q} (0..1), as its bucket's lower bound; 0 when empty. */
    long percentileMicros(double q) {
        if (total <= 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(q * total));
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return lowerBound(i);
            }
        }
        return maxMicros;
    }
}

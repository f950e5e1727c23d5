package org.medibridge.router;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A fixed-bucket latency histogram with one writer: the media worker records how long each
 * forwarded packet spent inside the server (receive → send), and the metrics endpoint reads it.
 *
 * <h2>Buckets</h2>
 * Log scale, 1-2-5 per decade from 1 µs to 100 ms ({@link #BOUNDS_NANOS}, upper bounds,
 * inclusive, as Prometheus' {@code le}); anything above 100 ms falls into the last, unbounded
 * bucket. Seventeen buckets resolve the 1 ms target to a factor of two at the price of sixteen
 * comparisons per sample at most, and need no floating point.
 *
 * <h2>Threads</h2>
 * {@link #record} must only be called by the one owning thread (the worker); it allocates nothing
 * and takes no lock: a single writer needs no compare-and-set, so each slot is read, incremented
 * and published with an ordered store ({@code lazySet}). Readers on other threads ({@link #snapshot})
 * see every slot whole (no torn {@code long}), but not all slots at one instant: the per-bucket counts
 * can be a sample or two ahead of or behind the sum. {@link Snapshot#count()} is therefore the sum
 * of the buckets read, so that a Prometheus {@code _count} always equals its {@code +Inf} bucket.
 */
public final class LatencyHistogram {
    /** Upper bounds in nanoseconds: 1, 2, 5 µs … 50, 100 ms. */
    static final long[] BOUNDS_NANOS = {
        1_000, 2_000, 5_000,
        10_000, 20_000, 50_000,
        100_000, 200_000, 500_000,
        1_000_000, 2_000_000, 5_000_000,
        10_000_000, 20_000_000, 50_000_000,
        100_000_000,
    };
    /** The buckets: one per bound and one for everything above the last. */
    public static final int BUCKETS = BOUNDS_NANOS.length + 1;

    private static final int SUM = BUCKETS;
    /** Slots 0..BUCKETS-1 count samples per bucket (not cumulative); slot SUM holds the sum in ns. */
    private final AtomicLongArray slots = new AtomicLongArray(BUCKETS + 1);

    /** The bucket a latency falls into: the first whose bound is at least {@code nanos}. */
    static int bucketOf(long nanos) {
        for (int i = 0; i < BOUNDS_NANOS.length; i++) {
            if (nanos <= BOUNDS_NANOS[i]) {
                return i;
            }
        }
        return BOUNDS_NANOS.length;
    }

    /** The upper bound of {@code bucket} in nanoseconds, or {@link Long#MAX_VALUE} for the last. */
    public static long upperBoundNanos(int bucket) {
        return bucket < BOUNDS_NANOS.length ? BOUNDS_NANOS[bucket] : Long.MAX_VALUE;
    }

    /**
     * Records one sample; owner thread only. A negative value (a clock read on another core that
     * ran ahead) counts as zero.
     */
    public void record(long nanos) {
        long v = Math.max(0, nanos);
        int b = bucketOf(v);
        slots.lazySet(b, slots.get(b) + 1);
        slots.lazySet(SUM, slots.get(SUM) + v);
    }

    /** A copy for readers on any thread (allocates; not for the packet path). */
    public Snapshot snapshot() {
        long[] counts = new long[BUCKETS];
        for (int i = 0; i < BUCKETS; i++) {
            counts[i] = slots.get(i);
        }
        return new Snapshot(counts, slots.get(SUM));
    }

    /** Per-bucket counts (not cumulative) and the sum of the samples in nanoseconds. */
    public record Snapshot(long[] counts, long sumNanos) {
        public static Snapshot empty() {
            return new Snapshot(new long[BUCKETS], 0);
        }

        public long count() {
            long n = 0;
            for (long c : counts) {
                n += c;
            }
            return n;
        }

        /** Samples at or below the upper bound of {@code bucket} (Prometheus' cumulative {@code le}). */
        public long cumulative(int bucket) {
            long n = 0;
            for (int i = 0; i <= bucket; i++) {
                n += counts[i];
            }
            return n;
        }

        /** The sum of two histograms (e.g. the server's workers), bucket by bucket. */
        public Snapshot plus(Snapshot other) {
            long[] c = counts.clone();
            for (int i = 0; i < c.length; i++) {
                c[i] += other.counts[i];
            }
            return new Snapshot(c, sumNanos + other.sumNanos);
        }
    }
}

package org.medibridge.simulcast;

/**
 * Measured bitrate of each (spatial, temporal) layer of one incoming simulcast track over a
 * sliding window, for the bandwidth allocator.
 * <p>
 * The window is a ring of buckets (by default 10 × 100 ms): a packet adds its bytes to the
 * current bucket of its layer; a query sums the buckets still inside the window and divides by the
 * time they cover — the whole buckets behind the current one plus the elapsed part of the current
 * one, and no more than the time since the first packet, so a young stream is not under-rated.
 * <p>
 * What forwarding layer (s, t) costs is {@link #cumulativeBitrate}(s, t): temporal layers build on
 * each other, so TIDs 0..t of encoding s are all sent. A spatial layer with nothing in the
 * window is not {@link #isActive active} — the publisher stopped sending it (its own bandwidth
 * or CPU), and the allocator must not target it.
 * <p>
 * Owned by the room's worker thread; allocates nothing after construction.
 */
public final class LayerBitrates {
    public static final long DEFAULT_WINDOW_NANOS = 1_000_000_000L;
    public static final int DEFAULT_BUCKETS = 10;
    private static final int LAYERS = LayerSelector.MAX_SPATIAL_LAYERS * LayerSelector.MAX_TEMPORAL_LAYERS;

    private final int buckets;
    private final long bucketNanos;
    /** [bucket * LAYERS + spatial * MAX_TEMPORAL_LAYERS + temporal] */
    private final long[] bytes;
    private long currentBucket;
    private boolean any;
    private long firstNanos;

    public LayerBitrates() {
        this(DEFAULT_WINDOW_NANOS, DEFAULT_BUCKETS);
    }

    public LayerBitrates(long windowNanos, int buckets) {
        if (buckets < 2 || windowNanos < buckets) {
            throw new IllegalArgumentException("window " + windowNanos + " ns in " + buckets + " buckets");
        }
        this.buckets = buckets;
        this.bucketNanos = windowNanos / buckets;
        this.bytes = new long[buckets * LAYERS];
    }

    /** Counts one received packet; {@code size} is what forwarding it costs (e.g. the RTP length). */
    public void onPacket(int spatial, int temporal, int size, long nowNanos) {
        if (spatial < 0 || spatial >= LayerSelector.MAX_SPATIAL_LAYERS) {
            return;
        }
        int t = Math.max(0, Math.min(temporal, LayerSelector.MAX_TEMPORAL_LAYERS - 1));
        advance(nowNanos);
        if (!any) {
            any = true;
            firstNanos = nowNanos;
        }
        bytes[slot(currentBucket) * LAYERS + spatial * LayerSelector.MAX_TEMPORAL_LAYERS + t] += size;
    }

    /** Bits per second of temporal layer {@code temporal} of encoding {@code spatial} alone. */
    public long bitrate(int spatial, int temporal, long nowNanos) {
        return rate(spatial, temporal, temporal, nowNanos);
    }

    /** Bits per second of TIDs 0..{@code temporal} of encoding {@code spatial}: the cost of forwarding (s, t). */
    public long cumulativeBitrate(int spatial, int temporal, long nowNanos) {
        return rate(spatial, 0, temporal, nowNanos);
    }

    /** Bits per second of the whole encoding {@code spatial}. */
    public long spatialBitrate(int spatial, long nowNanos) {
        return rate(spatial, 0, LayerSelector.MAX_TEMPORAL_LAYERS - 1, nowNanos);
    }

    /** Whether encoding {@code spatial} sent anything within the window. */
    public boolean isActive(int spatial, long nowNanos) {
        return windowBytes(spatial, 0, LayerSelector.MAX_TEMPORAL_LAYERS - 1, nowNanos) > 0;
    }

    private long rate(int spatial, int fromTemporal, int toTemporal, long nowNanos) {
        long sum = windowBytes(spatial, fromTemporal, toTemporal, nowNanos);
        if (sum == 0) {
            return 0;
        }
        long covered = (buckets - 1) * bucketNanos + (nowNanos - currentBucket * bucketNanos);
        covered = Math.max(bucketNanos, Math.min(covered, nowNanos - firstNanos));
        // bytes * 8 * 1e9 / covered, without overflow for any realistic byte count.
        return (long) (sum * 8e9 / covered);
    }

    private long windowBytes(int spatial, int fromTemporal, int toTemporal, long nowNanos) {
        if (!any || spatial < 0 || spatial >= LayerSelector.MAX_SPATIAL_LAYERS) {
            return 0;
        }
        int from = Math.max(0, fromTemporal);
        int to = Math.min(toTemporal, LayerSelector.MAX_TEMPORAL_LAYERS - 1);
        advance(nowNanos);
        long sum = 0;
        for (int b = 0; b < buckets; b++) {
            int base = b * LAYERS + spatial * LayerSelector.MAX_TEMPORAL_LAYERS;
            for (int t = from; t <= to; t++) {
                sum += bytes[base + t];
            }
        }
        return sum;
    }

    /** Moves the current bucket to {@code nowNanos}, emptying the buckets that left the window. */
    private void advance(long nowNanos) {
        long bucket = Math.floorDiv(nowNanos, bucketNanos);
        if (!any) {
            currentBucket = bucket;
            return;
        }
        if (bucket <= currentBucket) {
            return; // same bucket, or the clock went back: keep counting in the current one
        }
        long steps = Math.min(bucket - currentBucket, buckets);
        for (long i = 1; i <= steps; i++) {
            int base = slot(currentBucket + i) * LAYERS;
            for (int j = 0; j < LAYERS; j++) {
                bytes[base + j] = 0;
            }
        }
        currentBucket = bucket;
    }

    private int slot(long bucket) {
        return (int) Math.floorMod(bucket, (long) buckets);
    }
}

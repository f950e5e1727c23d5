package org.medibridge.bwe;

/**
 * Compares the modified trend with an adaptive threshold (draft-ietf-rmcat-gcc-02 section 5.4).
 *
 * <p>Over-use is signalled only when the trend stays above the threshold for more than
 * {@link #OVERUSE_TIME_MS} and at least two samples, and is not falling: one delayed group is
 * not congestion. The threshold follows |trend| slowly ({@link #K_UP}) when the trend exceeds it
 * and faster ({@link #K_DOWN}) when below, so it adapts to the jitter of the path while
 * concurrent TCP flows cannot push it up quickly enough to starve us (section 5.4's argument).
 * Samples far above the threshold (more than 15 ms over) do not move it: they are spikes.
 */
final class OveruseDetector {
    static final double INITIAL_THRESHOLD = 12.5;
    static final double K_UP = 0.0087;
    static final double K_DOWN = 0.039;
    static final double MIN_THRESHOLD = 6;
    static final double MAX_THRESHOLD = 600;
    static final double OVERUSE_TIME_MS = 10;
    private static final double MAX_ADAPT_OFFSET_MS = 15;
    private static final double MAX_TIME_DELTA_MS = 100;

    private double threshold = INITIAL_THRESHOLD;
    private long lastUpdateNanos = Long.MIN_VALUE;
    private double timeOverusingMs = -1;
    private int overuseCounter;
    private double previousTrend;
    private BandwidthUsage state = BandwidthUsage.NORMAL;

    /**
     * @param modifiedTrend the trendline's scaled trend
     * @param trend the raw slope, to require a non-falling trend before signalling over-use
     * @param sendDeltaMs the send-time delta of the group just closed
     * @param numDeltas how many deltas the trendline has seen
     */
    BandwidthUsage detect(double modifiedTrend, double trend, double sendDeltaMs, int numDeltas, long nowNanos) {
        if (numDeltas < 2) {
            return state;
        }
        if (modifiedTrend > threshold) {
            timeOverusingMs = timeOverusingMs < 0 ? sendDeltaMs / 2 : timeOverusingMs + sendDeltaMs;
            overuseCounter++;
            if (timeOverusingMs > OVERUSE_TIME_MS && overuseCounter > 1 && trend >= previousTrend) {
                timeOverusingMs = 0;
                overuseCounter = 0;
                state = BandwidthUsage.OVERUSING;
            }
        } else if (modifiedTrend < -threshold) {
            timeOverusingMs = -1;
            overuseCounter = 0;
            state = BandwidthUsage.UNDERUSING;
        } else {
            timeOverusingMs = -1;
            overuseCounter = 0;
            state = BandwidthUsage.NORMAL;
        }
        previousTrend = trend;
        adaptThreshold(modifiedTrend, nowNanos);
        return state;
    }

    BandwidthUsage state() {
        return state;
    }

    double threshold() {
        return threshold;
    }

    private void adaptThreshold(double modifiedTrend, long nowNanos) {
        if (lastUpdateNanos == Long.MIN_VALUE) {
            lastUpdateNanos = nowNanos;
        }
        double magnitude = Math.abs(modifiedTrend);
        if (magnitude > threshold + MAX_ADAPT_OFFSET_MS) {
            lastUpdateNanos = nowNanos;         // a spike: do not let it drag the threshold up
            return;
        }
        double k = magnitude < threshold ? K_DOWN : K_UP;
        double dtMs = Math.min((nowNanos - lastUpdateNanos) / 1e6, MAX_TIME_DELTA_MS);
        threshold += k * (magnitude - threshold) * dtMs;
        threshold = Math.max(MIN_THRESHOLD, Math.min(MAX_THRESHOLD, threshold));
        lastUpdateNanos = nowNanos;
    }
}

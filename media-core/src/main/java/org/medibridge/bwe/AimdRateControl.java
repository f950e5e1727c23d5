package org.medibridge.bwe;

/**
 * The delay-based rate controller of draft-ietf-rmcat-gcc-02 section 5.5: a state machine
 * (Increase / Hold / Decrease) driven by the detector's signal.
 *
 * <pre>
 *   signal \ state   Hold       Increase   Decrease
 *   OVERUSING        Decrease   Decrease   (stays)
 *   NORMAL           Increase   (stays)    Hold
 *   UNDERUSING       (stays)    Hold       Hold
 * </pre>
 *
 * <ul>
 *   <li>Decrease: to {@link #BETA} (0.85) times the <em>acknowledged</em> bitrate, never up; then
 *       Hold, so the queue we built can drain before we grow again.</li>
 *   <li>Increase far from the last known link capacity: multiplicative, 8 % per second.
 *       Near it: additive, about one packet per response time (RTT + 100 ms).</li>
 *   <li>An increase never goes past 1.5 × acknowledged + 10 kbit/s: when the sender is
 *       application-limited, the estimate must not float upwards unverified.</li>
 * </ul>
 */
final class AimdRateControl {
    static final double BETA = 0.85;
    static final double MULTIPLICATIVE_INCREASE_PER_SECOND = 1.08;
    static final double MAX_ACKED_HEADROOM = 1.5;
    static final long ACKED_HEADROOM_BPS = 10_000;
    static final long RESPONSE_TIME_EXTRA_NANOS = 100_000_000L;
    private static final long MIN_ADDITIVE_INCREASE_BPS_PER_SECOND = 4_000;
    private static final int ASSUMED_FPS = 30;
    private static final int ASSUMED_PACKET_BITS = 1200 * 8;

    private enum State { HOLD, INCREASE, DECREASE }

    private final long minBps;
    private final long maxBps;
    private final LinkCapacityEstimator linkCapacity = new LinkCapacityEstimator();
    private long currentBps;
    private State state = State.HOLD;
    private long lastChangeNanos = Long.MIN_VALUE;
    private long lastDecreaseNanos = Long.MIN_VALUE;
    private long rttNanos = 100_000_000L;

    AimdRateControl(long startBps, long minBps, long maxBps) {
        this.minBps = minBps;
        this.maxBps = maxBps;
        this.currentBps = startBps;
    }

    long bitrateBps() {
        return currentBps;
    }

    void setRtt(long rttNanos) {
        this.rttNanos = rttNanos;
    }

    /**
     * Whether a new over-use may cut again: once per RTT (clamped to 10..200 ms) so one queue is
     * not punished several times, or at once when throughput has fallen under half the estimate.
     */
    boolean timeToReduceFurther(long nowNanos, long ackedBps) {
        long interval = Math.max(10_000_000L, Math.min(200_000_000L, rttNanos));
        if (lastDecreaseNanos == Long.MIN_VALUE || nowNanos - lastDecreaseNanos >= interval) {
            return true;
        }
        return ackedBps > 0 && ackedBps < currentBps / 2;
    }

    /** A probe measured the path: jump to it (probes only ever raise the estimate). */
    void setEstimate(long bps, long nowNanos) {
        currentBps = clamp(Math.max(currentBps, bps));
        lastChangeNanos = nowNanos;
    }

    /** One update per feedback with the detector's current hypothesis. */
    long update(BandwidthUsage usage, long ackedBps, long nowNanos) {
        switch (usage) {
            case OVERUSING -> state = State.DECREASE;
            case UNDERUSING -> state = State.HOLD;
            case NORMAL -> {
                if (state == State.HOLD) {
                    state = State.INCREASE;
                    lastChangeNanos = nowNanos;   // elapsed time for the increase starts now
                }
            }
        }
        switch (state) {
            case HOLD -> { }
            case INCREASE -> increase(ackedBps, nowNanos);
            case DECREASE -> decrease(ackedBps, nowNanos);
        }
        return currentBps;
    }

    private void increase(long ackedBps, long nowNanos) {
        if (ackedBps > 0 && linkCapacity.hasEstimate() && ackedBps > linkCapacity.upperBoundBps()) {
            linkCapacity.reset();                // the path got better than we thought
        }
        double elapsedS = lastChangeNanos == Long.MIN_VALUE ? 0 : (nowNanos - lastChangeNanos) / 1e9;
        elapsedS = Math.min(Math.max(elapsedS, 0), 1.0);
        long increased;
        if (linkCapacity.hasEstimate()) {
            increased = currentBps + (long) (additiveIncreasePerSecond() * elapsedS);
        } else {
            increased = (long) (currentBps * Math.pow(MULTIPLICATIVE_INCREASE_PER_SECOND, elapsedS)) + 1;
        }
        if (ackedBps > 0) {
            long limit = (long) (MAX_ACKED_HEADROOM * ackedBps) + ACKED_HEADROOM_BPS;
            if (increased > limit) {
                increased = Math.max(currentBps, limit);   // cap the growth, never cut here
            }
        }
        currentBps = clamp(increased);
        lastChangeNanos = nowNanos;
    }

    private void decrease(long ackedBps, long nowNanos) {
        long base = ackedBps > 0 ? ackedBps : currentBps;
        long decreased = (long) (BETA * base);
        if (decreased > currentBps && linkCapacity.hasEstimate()) {
            decreased = (long) (BETA * linkCapacity.estimateBps());
        }
        if (decreased < currentBps) {
            currentBps = clamp(decreased);
        }
        if (ackedBps > 0) {
            if (linkCapacity.hasEstimate() && ackedBps < linkCapacity.lowerBoundBps()) {
                linkCapacity.reset();            // the path got worse than we thought
            }
            linkCapacity.onOveruseDetected(ackedBps);
        }
        state = State.HOLD;
        lastChangeNanos = nowNanos;
        lastDecreaseNanos = nowNanos;
    }

    /** About one packet per response time, with the packet size of a 30 fps stream. */
    private double additiveIncreasePerSecond() {
        double bitsPerFrame = currentBps / (double) ASSUMED_FPS;
        double packetsPerFrame = Math.ceil(bitsPerFrame / ASSUMED_PACKET_BITS);
        double avgPacketBits = bitsPerFrame / packetsPerFrame;
        double responseS = (rttNanos + RESPONSE_TIME_EXTRA_NANOS) / 1e9;
        return Math.max(MIN_ADDITIVE_INCREASE_BPS_PER_SECOND, avgPacketBits / responseS);
    }

    private long clamp(long bps) {
        return Math.max(minBps, Math.min(maxBps, bps));
    }
}

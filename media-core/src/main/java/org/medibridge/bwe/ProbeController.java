package org.medibridge.bwe;

/**
 * Decides when to probe for spare capacity and at what rate.
 *
 * <ul>
 *   <li>At start: clusters at {@link #INITIAL_SCALES} (3× and 6×) the start bitrate, so a good
 *       link is found within a second instead of ramping at 8 % per second.</li>
 *   <li>Exponential continuation: when a result reaches 70 % of what was probed, probe again at
 *       twice the result, while the allocator still wants more (or during the initial phase),
 *       unless the caps leave less than {@link #MIN_STEP} above the result.</li>
 *   <li>While the allocator is limited by the estimate (some track sits below its preferred
 *       layer): a cluster at 2× the estimate every {@link #PERIODIC_INTERVAL_NANOS}, and one soon
 *       after the allocator becomes limited.</li>
 * </ul>
 *
 * <p>Contract with the pacer: when {@link #nextProbe} returns a rate, send one cluster at that
 * rate, lasting at least {@link #CLUSTER_DURATION_NANOS} and {@link #CLUSTER_MIN_PACKETS}
 * packets, every packet marked probe (padding or RTX fills what media does not). Clusters are
 * spaced at least {@link #CLUSTER_SPACING_NANOS} apart so the receiver side can tell them apart
 * by send gap. Probes are capped at the maximum bitrate and, once the allocator told us what it
 * wants, at 1.5× that.
 */
public final class ProbeController {
    static final double[] INITIAL_SCALES = {3.0, 6.0};
    static final double FURTHER_SCALE = 2.0;
    static final double FURTHER_MIN_RATIO = 0.7;
    static final double PERIODIC_SCALE = 2.0;
    static final double DESIRED_HEADROOM = 1.5;
    /**
     * A probe must reach at least this much above the estimate (or the last result) to be worth
     * its burst. Without it, a subscriber whose estimate sat just under the maximum was probed at
     * the maximum again and again (seen in the e2e runs: a cluster every few hundred ms).
     */
    static final double MIN_STEP = 1.2;
    public static final long CLUSTER_DURATION_NANOS = 15_000_000L;
    public static final int CLUSTER_MIN_PACKETS = 5;
    static final long CLUSTER_SPACING_NANOS = 200_000_000L;
    static final long PERIODIC_INTERVAL_NANOS = 5_000_000_000L;
    static final long LIMITED_DELAY_NANOS = 1_000_000_000L;
    static final long RESULT_TIMEOUT_NANOS = 1_000_000_000L;

    private final long maxBps;
    private final long[] pending = new long[4];
    private int pendingCount;
    private boolean started;
    private boolean initialPhase = true;
    private boolean enabled = true;
    private long lastProbeNanos = Long.MIN_VALUE;
    private long lastProbeBps;
    private boolean awaitingResult;
    private boolean limited;
    private long limitedSinceNanos = Long.MIN_VALUE;
    private long desiredBps = -1;

    public ProbeController(long maxBps) {
        this.maxBps = maxBps;
    }

    /** Probing needs transport-cc: with REMB only there is nothing to measure a probe with. */
    void setEnabled(boolean enabled) {
        this.enabled = enabled;
        if (!enabled) {
            pendingCount = 0;
        }
    }

    /** The allocator's last outcome: what it would use in total, and whether the estimate limited it. */
    void onAllocation(long desiredBps, boolean limitedByEstimate, long nowNanos) {
        this.desiredBps = desiredBps;
        if (limitedByEstimate && !limited) {
            limitedSinceNanos = nowNanos;
        }
        limited = limitedByEstimate;
        if (!limited) {
            initialPhase = false;
        }
    }

    /** The rate of the cluster to send now, or 0. Returning a rate means it is being sent. */
    long nextProbe(long nowNanos, long estimateBps) {
        if (!enabled) {
            return 0;
        }
        if (!started) {
            started = true;
            for (double scale : INITIAL_SCALES) {
                enqueue((long) (scale * estimateBps));
            }
        }
        if (awaitingResult && nowNanos - lastProbeNanos > RESULT_TIMEOUT_NANOS) {
            awaitingResult = false;             // lost or invalid cluster: stop the exponential run
            initialPhase = false;
        }
        if (lastProbeNanos != Long.MIN_VALUE && nowNanos - lastProbeNanos < CLUSTER_SPACING_NANOS) {
            return 0;
        }
        long bps = 0;
        if (pendingCount > 0) {
            bps = pending[0];
            System.arraycopy(pending, 1, pending, 0, --pendingCount);
        } else if (limited && !awaitingResult && periodicDue(nowNanos)) {
            bps = (long) (PERIODIC_SCALE * estimateBps);
        }
        bps = cap(bps);
        if (bps < MIN_STEP * estimateBps) {
            return 0;                           // nothing to learn at or barely above what we use
        }
        lastProbeNanos = nowNanos;
        lastProbeBps = bps;
        awaitingResult = true;
        return bps;
    }

    void onProbeResult(long resultBps, long nowNanos) {
        awaitingResult = false;
        boolean wantMore = initialPhase || limited;
        if (wantMore && pendingCount == 0 && resultBps >= FURTHER_MIN_RATIO * lastProbeBps) {
            long next = cap((long) (FURTHER_SCALE * resultBps));
            if (next >= MIN_STEP * resultBps) {
                enqueue(next);
            } else {
                initialPhase = false;           // at the caps: nothing more to find
            }
        } else if (pendingCount == 0) {
            initialPhase = false;
        }
    }

    private boolean periodicDue(long nowNanos) {
        if (lastProbeNanos == Long.MIN_VALUE) {
            return true;
        }
        if (nowNanos - lastProbeNanos >= PERIODIC_INTERVAL_NANOS) {
            return true;
        }
        // NOTE: freshly limited (a new track, a bigger tile): probe soon rather than in 5 s.
        return limitedSinceNanos > lastProbeNanos && nowNanos - limitedSinceNanos >= LIMITED_DELAY_NANOS;
    }

    private long cap(long bps) {
        long c = Math.min(bps, maxBps);
        if (desiredBps > 0) {
            c = Math.min(c, (long) (DESIRED_HEADROOM * desiredBps));
        }
        return c;
    }

    @Override
    public String toString() {
        return "probe{enabled=" + enabled + " initial=" + initialPhase + " limited=" + limited + " desired=" + desiredBps
                + " awaiting=" + awaitingResult + " pending=" + pendingCount + " lastBps=" + lastProbeBps + "}";
    }

    private void enqueue(long bps) {
        if (pendingCount < pending.length) {
            pending[pendingCount++] = bps;
        }
    }
}

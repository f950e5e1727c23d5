package org.medibridge.bwe;

/**
 * The loss-based bound of draft-ietf-rmcat-gcc-02 section 6, kept as a cap over the delay-based
 * (or REMB) estimate rather than a second estimate:
 *
 * <ul>
 *   <li>loss above {@link #HIGH_LOSS} (10 %): cap at {@code min(cap, target) * (1 - 0.5 * loss)},
 *       or at the acknowledged bitrate when that is lower (what the path demonstrably carries),
 *       at most once per 300 ms + RTT so one loss burst reported twice (RR and transport-cc)
 *       is punished once, and never below 0.85 × the acknowledged bitrate: drop-tail loss from a
 *       queue the delay-based controller has already answered must not cut a second time below
 *       what the receiver demonstrably gets (with random loss that floor never binds, since
 *       acknowledged ≈ (1 - loss) × sent);</li>
 *   <li>loss below {@link #LOW_LOSS} (2 %): raise the cap by 8 % per second (+1 kbit/s); once it
 *       reaches the upper estimate it is released entirely;</li>
 *   <li>in between: hold. Random loss of a few percent (Wi-Fi, cellular) is NACK/RTX's job,
 *       not a reason to starve the video.</li>
 * </ul>
 *
 * <p>No cap ({@link #UNLIMITED}) until the first heavy loss: the estimate then follows the
 * delay-based estimate or REMB directly.
 */
final class LossBasedController {
    static final double HIGH_LOSS = 0.10;
    static final double LOW_LOSS = 0.02;
    static final double INCREASE_PER_SECOND = 1.08;
    static final long INCREASE_BPS_PER_SECOND = 1_000;
    static final long DECREASE_INTERVAL_NANOS = 300_000_000L;
    static final long UNLIMITED = Long.MAX_VALUE;

    private long capBps = UNLIMITED;
    private long lastDecreaseNanos = Long.MIN_VALUE;
    private long lastIncreaseNanos = Long.MIN_VALUE;
    private long rttNanos = 100_000_000L;

    void setRtt(long rttNanos) {
        this.rttNanos = rttNanos;
    }

    long capBps() {
        return capBps;
    }

    /**
     * @param lossFraction 0..1 over the report interval
     * @param targetBps the estimate in force now
     * @param upperBps the delay-based estimate (or REMB) the cap would bound
     * @param ackedBps the acknowledged bitrate, or -1 when unknown (REMB mode)
     */
    void onLoss(double lossFraction, long targetBps, long upperBps, long ackedBps, long nowNanos) {
        if (lossFraction > HIGH_LOSS) {
            lastIncreaseNanos = nowNanos;
            if (lastDecreaseNanos == Long.MIN_VALUE || nowNanos - lastDecreaseNanos >= DECREASE_INTERVAL_NANOS + rttNanos) {
                long base = Math.min(capBps, targetBps);
                long decreased = (long) (base * (1 - 0.5 * lossFraction));
                if (ackedBps > 0) {
                    // Heavy loss with a measured throughput: the path demonstrably carries what
                    // was acknowledged, not more. Stepping down by (1 - loss/2) from far above it
                    // (a link that just shrank to a fifth) would take seconds of drop-tail loss,
                    // freezing the video; going straight to the acknowledged rate takes one step.
                    decreased = Math.min(decreased, ackedBps);
                }
                long floor = ackedBps > 0 ? (long) (AimdRateControl.BETA * ackedBps) : 0;
                capBps = Math.min(base, Math.max(decreased, floor));
                lastDecreaseNanos = nowNanos;
            }
        } else if (lossFraction < LOW_LOSS) {
            if (capBps != UNLIMITED) {
                double elapsedS = lastIncreaseNanos == Long.MIN_VALUE ? 0
                        : Math.min(1.0, (nowNanos - lastIncreaseNanos) / 1e9);
                capBps = (long) (capBps * Math.pow(INCREASE_PER_SECOND, elapsedS) + INCREASE_BPS_PER_SECOND * elapsedS);
                if (capBps >= upperBps) {
                    capBps = UNLIMITED;
                }
            }
            lastIncreaseNanos = nowNanos;
        } else {
            lastIncreaseNanos = nowNanos;       // hold: the time spent here earns no increase
        }
    }

    /** A probe proved the path carries {@code bps}: the cap need not stay below it. */
    void onProbeResult(long bps) {
        if (capBps != UNLIMITED && bps > capBps) {
            capBps = bps;
        }
    }
}

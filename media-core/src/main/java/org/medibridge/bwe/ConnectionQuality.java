package org.medibridge.bwe;

/**
 * A participant's connection quality for the UI: EXCELLENT, GOOD, POOR or LOST.
 *
 * <p>Each {@link #onSample} (about once a second, from RTCP reports and the estimator) is
 * smoothed with an exponential average ({@link #ALPHA} = 0.3, so a sample's weight halves in about
 * two seconds), and the level is read off the smoothed values:
 *
 * <pre>
 *   level       loss      RTT        jitter    bitrate / expected
 *   EXCELLENT   < 2 %     < 150 ms   < 30 ms   ≥ 80 %
 *   GOOD        < 8 %     < 300 ms   < 60 ms   ≥ 40 %
 *   POOR        anything worse, while media still flows
 *   LOST        smoothed loss ≥ 50 %, or no sample for 5 s
 * </pre>
 * Every condition of a row must hold; an expected bitrate of 0 (nothing to send, e.g. a muted
 * camera) leaves the bitrate column out. Hysteresis: a worse level shows at once, a better one
 * only after {@link #UPGRADE_SAMPLES} consecutive samples agree, so the badge does not blink.
 */
public final class ConnectionQuality {

    public enum Level { LOST, POOR, GOOD, EXCELLENT }

    static final double ALPHA = 0.3;
    static final int UPGRADE_SAMPLES = 3;
    static final long LOST_TIMEOUT_NANOS = 5_000_000_000L;
    static final double LOST_LOSS = 0.50;

    private boolean hasSample;
    private double loss;
    private double rttMs;
    private double jitterMs;
    private double bitrateRatio = 1.0;
    private long lastSampleNanos;
    private Level level = Level.GOOD;
    private Level candidate;
    private int candidateCount;

    /**
     * @param lossFraction       0..1 over the report interval
     * @param rttMillis          round-trip time (negative if unknown: kept as before)
     * @param jitterMillis       interarrival jitter (RFC 3550 6.4.1), in ms
     * @param bitrateBps         what is actually sent (or received) now
     * @param expectedBitrateBps what should flow at full quality; 0 when nothing is expected
     */
    public Level onSample(double lossFraction, double rttMillis, double jitterMillis,
                          long bitrateBps, long expectedBitrateBps, long nowNanos) {
        double ratio = expectedBitrateBps > 0 ? Math.min(1.0, bitrateBps / (double) expectedBitrateBps) : 1.0;
        if (!hasSample) {
            hasSample = true;
            loss = lossFraction;
            rttMs = Math.max(0, rttMillis);
            jitterMs = jitterMillis;
            bitrateRatio = ratio;
        } else {
            loss = smooth(loss, lossFraction);
            if (rttMillis >= 0) {
                rttMs = smooth(rttMs, rttMillis);
            }
            jitterMs = smooth(jitterMs, jitterMillis);
            bitrateRatio = smooth(bitrateRatio, ratio);
        }
        lastSampleNanos = nowNanos;
        Level raw = classify();
        if (raw.compareTo(level) < 0) {
            level = raw;
            candidateCount = 0;
        } else if (raw.compareTo(level) > 0) {
            candidateCount = raw == candidate ? candidateCount + 1 : 1;
            candidate = raw;
            if (candidateCount >= UPGRADE_SAMPLES) {
                level = raw;
                candidateCount = 0;
            }
        } else {
            candidateCount = 0;
        }
        return level;
    }

    /** The level now: LOST once samples stop for {@link #LOST_TIMEOUT_NANOS}. */
    public Level level(long nowNanos) {
        if (hasSample && nowNanos - lastSampleNanos >= LOST_TIMEOUT_NANOS) {
            return Level.LOST;
        }
        return level;
    }

    private Level classify() {
        if (loss >= LOST_LOSS) {
            return Level.LOST;
        }
        if (loss < 0.02 && rttMs < 150 && jitterMs < 30 && bitrateRatio >= 0.8) {
            return Level.EXCELLENT;
        }
        if (loss < 0.08 && rttMs < 300 && jitterMs < 60 && bitrateRatio >= 0.4) {
            return Level.GOOD;
        }
        return Level.POOR;
    }

    private static double smooth(double old, double sample) {
        return (1 - ALPHA) * old + ALPHA * sample;
    }
}

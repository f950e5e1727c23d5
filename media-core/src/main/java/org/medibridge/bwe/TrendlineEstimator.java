package org.medibridge.bwe;

/**
 * Estimates whether queuing delay is growing, from the inter-group delay variations.
 *
 * <p>Instead of the Kalman filter of draft-ietf-rmcat-gcc-02 section 5.3, this follows
 * libwebrtc's trendline: accumulate the delay variations into a one-way queuing delay curve,
 * smooth it exponentially, and fit a least-squares line over the last {@link #WINDOW} points.
 * The slope (ms of extra delay per ms of time) is the trend; it is positive while a queue builds.
 * The detector compares {@code min(deltas, 60) * slope * 4} with its adaptive threshold: the
 * factor grows confidence over the first second of samples and scales the slope to ms.
 */
final class TrendlineEstimator {
    static final int WINDOW = 20;
    static final double SMOOTHING = 0.9;
    static final double THRESHOLD_GAIN = 4.0;
    static final int MAX_CONFIDENCE_DELTAS = 60;

    private final double[] xs = new double[WINDOW];
    private final double[] ys = new double[WINDOW];
    private int count;
    private int head;

    private int numDeltas;
    private boolean hasFirst;
    private long firstArrivalNanos;
    private double accumulatedDelayMs;
    private double smoothedDelayMs;
    private double trend;

    /** Adds one inter-group delta; {@code arrivalNanos} is the closing group's arrival time. */
    void update(long arrivalDeltaNanos, long sendDeltaNanos, long arrivalNanos) {
        double deltaMs = (arrivalDeltaNanos - sendDeltaNanos) / 1e6;
        numDeltas = Math.min(numDeltas + 1, 1000);
        if (!hasFirst) {
            hasFirst = true;
            firstArrivalNanos = arrivalNanos;
        }
        accumulatedDelayMs += deltaMs;
        smoothedDelayMs = SMOOTHING * smoothedDelayMs + (1 - SMOOTHING) * accumulatedDelayMs;

        xs[head] = (arrivalNanos - firstArrivalNanos) / 1e6;
        ys[head] = smoothedDelayMs;
        head = (head + 1) % WINDOW;
        count = Math.min(count + 1, WINDOW);
        if (count == WINDOW) {
            double slope = slope();
            if (!Double.isNaN(slope)) {
                trend = slope;
            }
        }
    }

    /** The raw slope of the smoothed delay curve (0 until the window is full). */
    double trend() {
        return trend;
    }

    /** The trend scaled for the detector: {@code min(deltas, 60) * slope * 4}. */
    double modifiedTrend() {
        return Math.min(numDeltas, MAX_CONFIDENCE_DELTAS) * trend * THRESHOLD_GAIN;
    }

    int numDeltas() {
        return numDeltas;
    }

    private double slope() {
        double meanX = 0;
        double meanY = 0;
        for (int i = 0; i < count; i++) {
            meanX += xs[i];
            meanY += ys[i];
        }
        meanX /= count;
        meanY /= count;
        double num = 0;
        double den = 0;
        for (int i = 0; i < count; i++) {
            double dx = xs[i] - meanX;
            num += dx * (ys[i] - meanY);
            den += dx * dx;
        }
        return den == 0 ? Double.NaN : num / den;
    }
}

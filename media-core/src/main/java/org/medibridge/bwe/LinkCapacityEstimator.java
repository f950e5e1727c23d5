package org.medibridge.bwe;

/**
 * Where the bottleneck was last found: an exponential average of the acknowledged bitrate at
 * each over-use, with a normalized variance. Near that capacity the rate controller increases
 * additively (carefully); away from it, or once throughput exceeds it by three deviations
 * (the path got better), it forgets it and increases multiplicatively.
 */
final class LinkCapacityEstimator {
    private static final double ALPHA = 0.05;
    private static final double MIN_VARIANCE = 0.4;
    private static final double MAX_VARIANCE = 2.5;

    private double averageKbps = -1;
    private double varianceKbps = MIN_VARIANCE;

    boolean hasEstimate() {
        return averageKbps >= 0;
    }

    void onOveruseDetected(long ackedBps) {
        double sample = ackedBps / 1000.0;
        double alpha = hasEstimate() ? ALPHA : 1.0;
        averageKbps = hasEstimate() ? (1 - alpha) * averageKbps + alpha * sample : sample;
        double norm = Math.max(averageKbps, 1.0);
        double error = averageKbps - sample;
        varianceKbps = (1 - alpha) * varianceKbps + alpha * error * error / norm;
        varianceKbps = Math.max(MIN_VARIANCE, Math.min(MAX_VARIANCE, varianceKbps));
    }

    void reset() {
        averageKbps = -1;
        varianceKbps = MIN_VARIANCE;
    }

    long estimateBps() {
        return (long) (averageKbps * 1000);
    }

    long upperBoundBps() {
        return (long) ((averageKbps + 3 * deviationKbps()) * 1000);
    }

    long lowerBoundBps() {
        return (long) (Math.max(0, averageKbps - 3 * deviationKbps()) * 1000);
    }

    private double deviationKbps() {
        return Math.sqrt(varianceKbps * averageKbps);
    }
}

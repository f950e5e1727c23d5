package org.medibridge.bwe;

/**
 * Measures what a probe cluster got through: the receive rate of the packets marked probe.
 *
 * <p>A cluster is a run of probe packets (in send order) with the same cluster id and no send
 * gap above {@link #CLUSTER_GAP_NANOS}; unmarked packets in between are ignored. The pacer is expected to
 * send the whole cluster at the probe rate and mark every packet of it ({@link ProbeController}).
 * Rates exclude one packet at each end (the first packet's bytes arrived "before" the arrival
 * interval starts, the last one's were sent "after" the send interval ends).
 *
 * <p>Result: {@code min(send rate, receive rate)}; when the receive rate is under 90 % of the send
 * rate the link was saturated and the result is 95 % of the receive rate. Clusters with fewer
 * than {@link #MIN_RECEIVED} received packets, or a receive rate more than twice the send rate
 * (compressed by a burst, not a capacity), give no result.
 */
final class ProbeBitrateEstimator {
    static final long CLUSTER_GAP_NANOS = 100_000_000L;
    static final int MIN_RECEIVED = 4;
    private static final double SATURATED_RATIO = 0.9;
    private static final double SATURATED_FRACTION = 0.95;
    private static final double MAX_RECEIVE_TO_SEND = 2.0;
    private static final long MAX_INTERVAL_NANOS = 1_000_000_000L;

    private boolean active;
    private int cluster;
    private long lastProbeSend;
    private int received;
    private long firstSend;
    private long lastSend;
    private int lastSentSize;
    private long firstArrival;
    private long lastArrival;
    private int firstArrivalSize;
    private long bytes;
    private long result = -1;

    /** Feed every result in send order. */
    void onPacket(long sendNanos, long arrivalNanos, int size, int probeCluster) {
        if (probeCluster == PacketResult.NOT_PROBE) {
            return;
        }
        if (active && (probeCluster != cluster || sendNanos - lastProbeSend > CLUSTER_GAP_NANOS)) {
            finish();
        }
        active = true;
        cluster = probeCluster;
        lastProbeSend = sendNanos;
        if (arrivalNanos == PacketResult.NOT_RECEIVED) {
            return;                             // lost: it neither sent nor arrived for the rate
        }
        if (received == 0) {
            firstSend = sendNanos;
            firstArrival = arrivalNanos;
            firstArrivalSize = size;
            lastArrival = arrivalNanos;
        }
        received++;
        bytes += size;
        lastSend = sendNanos;
        lastSentSize = size;
        if (arrivalNanos < firstArrival) {
            firstArrival = arrivalNanos;
            firstArrivalSize = size;
        }
        lastArrival = Math.max(lastArrival, arrivalNanos);
    }

    /**
     * After a feedback: closes the cluster when the newest packet was sent well after it, and
     * returns its result once (bit/s), or -1.
     */
    long poll(long latestSendNanos) {
        if (active && latestSendNanos - lastProbeSend > CLUSTER_GAP_NANOS) {
            finish();
        }
        long r = result;
        result = -1;
        return r;
    }

    private void finish() {
        if (received >= MIN_RECEIVED) {
            long sendInterval = lastSend - firstSend;
            long receiveInterval = lastArrival - firstArrival;
            if (sendInterval > 0 && receiveInterval > 0
                    && sendInterval <= MAX_INTERVAL_NANOS && receiveInterval <= MAX_INTERVAL_NANOS) {
                double sendRate = (bytes - lastSentSize) * 8e9 / sendInterval;
                double receiveRate = (bytes - firstArrivalSize) * 8e9 / receiveInterval;
                if (receiveRate <= MAX_RECEIVE_TO_SEND * sendRate) {
                    double r = Math.min(sendRate, receiveRate);
                    if (receiveRate < SATURATED_RATIO * sendRate) {
                        r = SATURATED_FRACTION * receiveRate;
                    }
                    result = Math.max(result, (long) r);
                }
            }
        }
        active = false;
        received = 0;
        bytes = 0;
    }
}

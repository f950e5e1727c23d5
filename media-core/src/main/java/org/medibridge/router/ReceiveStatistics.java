package org.medibridge.router;

/**
 * What a receiver knows about one incoming RTP stream, kept as RFC 3550 Appendix A.1, A.3 and
 * A.8 describe, so that the server's receiver reports (§6.4.2) tell the publisher the truth
 * about loss and jitter on its uplink.
 */
final class ReceiveStatistics {
    private static final int RTP_SEQ_MOD = 1 << 16;

    private boolean initialized;
    private int maxSeq;
    private int cycles;
    private int baseSeq;
    private long received;
    private long expectedPrior;
    private long receivedPrior;

    /** Interarrival jitter in timestamp units, scaled by 16 as in A.8. */
    private long jitterQ4;
    private long lastTransit;
    private boolean haveTransit;

    void update(int seq, long rtpTimestamp, long arrivalNanos, int clockRate) {
        if (!initialized) {
            initialized = true;
            baseSeq = seq;
            maxSeq = seq;
        } else {
            int delta = (seq - maxSeq) & 0xFFFF;
            if (delta < 0x8000) {
                if (seq < maxSeq) {
                    cycles += RTP_SEQ_MOD; // wrapped
                }
                maxSeq = seq;
            }
        }
        received++;
        // A.8: transit = arrival (in RTP units) - timestamp; J += (|D| - J) / 16
        long arrival = arrivalNanos / 1000 * clockRate / 1_000_000L;
        long transit = arrival - rtpTimestamp;
        if (haveTransit) {
            long d = Math.abs(transit - lastTransit);
            jitterQ4 += d - ((jitterQ4 + 8) >> 4);
        }
        lastTransit = transit;
        haveTransit = true;
    }

    /**
     * A lost packet repaired by RTX: it counts as received (so the loss we report is the loss that
     * remains), but its transit time says nothing about jitter (it was sent a round trip late),
     * and being older than the highest it moves nothing else. The caller makes sure it was missing,
     * so a repair is never counted twice.
     */
    void onRepaired() {
        received++;
    }

    boolean hasData() {
        return initialized;
    }

    long extendedHighestSequence() {
        return (cycles + maxSeq) & 0xFFFFFFFFL;
    }

    long expected() {
        return extendedHighestSequence() - baseSeq + 1;
    }

    /** Cumulative number of packets lost (A.3), clamped to the 24-bit signed field. */
    int cumulativeLost() {
        long lost = expected() - received;
        return (int) Math.max(-0x800000, Math.min(0x7FFFFF, lost));
    }

    /**
     * Fraction lost since the previous call, in 1/256 (A.3). Call once per report.
     */
    int takeFractionLost() {
        long expected = expected();
        long expectedInterval = expected - expectedPrior;
        expectedPrior = expected;
        long receivedInterval = received - receivedPrior;
        receivedPrior = received;
        long lostInterval = expectedInterval - receivedInterval;
        if (expectedInterval == 0 || lostInterval <= 0) {
            return 0;
        }
        return (int) Math.min(255, (lostInterval << 8) / expectedInterval);
    }

    long jitter() {
        return jitterQ4 >> 4;
    }

    long received() {
        return received;
    }
}

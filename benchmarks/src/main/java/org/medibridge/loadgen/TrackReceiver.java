package org.medibridge.loadgen;

/**
 * What one subscriber receives on one remote track (one subscriber m-line): packets, bytes,
 * loss and one-way latency. Written on the I/O thread only, without allocation; read through
 * {@link #snapshot()} by the reporting thread (values may be a packet behind).
 *
 * <p>Loss is counted two ways. <b>Sequence loss</b>: gaps in the RTP sequence numbers the SFU
 * writes (its rewriter keeps them continuous, so a gap is a packet lost after the SFU).
 * <b>Counter loss</b>: gaps in the per-source-stream counter of the {@link PayloadStamp}, which
 * also sees packets the SFU itself dropped before rewriting (e.g. a full worker queue). For a
 * simulcast track the subscriber gets one layer at a time: a packet of another layer than the
 * previous packet starts a new segment of that layer's counter, so a layer switch (down and
 * back up again) is not loss; only gaps within a segment are.
 */
final class TrackReceiver {
    private static final int MAX_SOURCES = 8;

    final String mid;
    final String kind;
    final String fromParticipant;

    private long packets;
    private long bytes;
    private long unstamped;
    private boolean seqStarted;
    private long firstExtSeq;
    private long highestExtSeq;
    private final int[] sourceKeys = new int[MAX_SOURCES];
    private final long[] sourceFirst = new long[MAX_SOURCES];
    private final long[] sourceHighest = new long[MAX_SOURCES];
    /** Expected packets of the closed segments of each source. */
    private final long[] sourceClosed = new long[MAX_SOURCES];
    private int sources;
    private int lastSource = -1;
    private final LatencyHistogram latency = new LatencyHistogram();

    TrackReceiver(String mid, String kind, String fromParticipant) {
        this.mid = mid;
        this.kind = kind;
        this.fromParticipant = fromParticipant;
    }

    /** I/O thread. */
    void onPacket(int seq, int rtpLength, byte[] buf, int payloadStart, int payloadEnd, long receivedNanos) {
        packets++;
        bytes += rtpLength;
        updateSequence(seq);
        if (!PayloadStamp.present(buf, payloadStart, payloadEnd)) {
            unstamped++; // padding or probing packets the SFU generated
            return;
        }
        latency.record((receivedNanos - PayloadStamp.sendNanos(buf, payloadEnd)) / 1000);
        int key = PayloadStamp.streamKey(buf, payloadEnd);
        long counter = PayloadStamp.counter(buf, payloadEnd) & 0xFFFFFFFFL;
        for (int i = 0; i < sources; i++) {
            if (sourceKeys[i] == key) {
                if (i != lastSource) {
                    // Back on this layer after another one: close its old segment, start anew.
                    sourceClosed[i] += sourceHighest[i] - sourceFirst[i] + 1;
                    sourceFirst[i] = counter;
                    sourceHighest[i] = counter;
                    lastSource = i;
                } else if (counter > sourceHighest[i]) {
                    sourceHighest[i] = counter;
                }
                return;
            }
        }
        if (sources < MAX_SOURCES) {
            sourceKeys[sources] = key;
            sourceFirst[sources] = counter;
            sourceHighest[sources] = counter;
            lastSource = sources;
            sources++;
        }
    }

    private void updateSequence(int seq) {
        if (!seqStarted) {
            seqStarted = true;
            firstExtSeq = seq;
            highestExtSeq = seq;
            return;
        }
        // RFC 3550 A.1: extend by the cycle closest to the highest seen.
        long candidate = (highestExtSeq & ~0xFFFFL) | seq;
        if (candidate < highestExtSeq - 32768) {
            candidate += 65536;
        } else if (candidate > highestExtSeq + 32768) {
            candidate -= 65536;
        }
        if (candidate > highestExtSeq) {
            highestExtSeq = candidate;
        }
    }

    Snapshot snapshot() {
        long counterExpected = 0;
        for (int i = 0; i < sources; i++) {
            counterExpected += sourceClosed[i] + sourceHighest[i] - sourceFirst[i] + 1;
        }
        long stamped = packets - unstamped;
        return new Snapshot(packets, bytes, stamped, seqStarted ? highestExtSeq - firstExtSeq + 1 : 0,
                counterExpected, latency.copy(), System.nanoTime());
    }

    /** Cumulative values at one instant; {@link #minus} gives a window. */
    record Snapshot(long packets, long bytes, long stamped, long seqExpected, long counterExpected,
                    LatencyHistogram latency, long atNanos) {
        Snapshot minus(Snapshot start) {
            if (start == null) {
                return this;
            }
            return new Snapshot(packets - start.packets, bytes - start.bytes, stamped - start.stamped,
                    seqExpected - start.seqExpected, counterExpected - start.counterExpected,
                    latency.minus(start.latency), atNanos - start.atNanos);
        }

        double seqLossPercent() {
            return lossPercent(seqExpected, packets);
        }

        double counterLossPercent() {
            return lossPercent(counterExpected, stamped);
        }

        /** The worse of the two loss measures. */
        double lossPercent() {
            return Math.max(seqLossPercent(), counterLossPercent());
        }

        double bitrateKbps() {
            return atNanos <= 0 ? 0 : bytes * 8.0 / (atNanos / 1e9) / 1000.0;
        }

        private static double lossPercent(long expected, long received) {
            return expected <= 0 ? 0 : Math.max(0, expected - received) * 100.0 / expected;
        }
    }
}

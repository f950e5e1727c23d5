package org.medibridge.bwe;

import java.util.List;

/**
 * Send-side bandwidth estimation for one subscriber connection, in the manner of Google
 * Congestion Control (draft-ietf-rmcat-gcc-02 and libwebrtc's goog_cc).
 *
 * <p>Per transport-cc feedback ({@link #onPacketResults}):
 * <pre>
 *   results (send order)
 *     ├─ lost ─────────────────────────────────────────► loss window (≥ 1 s, ≥ 20 packets) ─► LossBasedController
 *     ├─ received ─► AcknowledgedBitrateEstimator (500 ms window)
 *     ├─ received ─► PacketGroupDeltas (5 ms bursts) ─► TrendlineEstimator ─► OveruseDetector
 *     └─ probe ────► ProbeBitrateEstimator ─► ProbeController (continue exponentially?)
 *   then once: AimdRateControl.update(hypothesis, acknowledged bitrate) or, with a probe result, jump to it
 *   target = clamp(min(delay-based, REMB, loss cap), min, max)
 * </pre>
 * Without transport-cc ({@link #onRemb} only) the delay-based part is the receiver's REMB.
 *
 * <p>Pure: no threads, no clocks; every input carries its time. Not thread-safe: call it from the
 * connection's media thread.
 */
public final class SendSideBandwidthEstimator {
    public static final long DEFAULT_START_BPS = 1_000_000;
    public static final long DEFAULT_MIN_BPS = 100_000;
    public static final long DEFAULT_MAX_BPS = 10_000_000;
    /** Transport-cc loss is judged over at least this long and this many packets (the GCC rule). */
    static final long LOSS_WINDOW_NANOS = 1_000_000_000L;
    /**
     * Heavy loss is answered sooner: over this shorter window, at least
     * {@link #FAST_LOSS_FRACTION} lost is no chance result of random loss under 10 % but a link
     * that just shrank, and waiting the full window would freeze the video.
     */
    static final long FAST_LOSS_WINDOW_NANOS = 300_000_000L;
    static final double FAST_LOSS_FRACTION = 0.25;
    static final int LOSS_WINDOW_MIN_PACKETS = 20;

    private final long startBps;
    private final long minBps;
    private final long maxBps;
    private final PacketGroupDeltas groups = new PacketGroupDeltas();
    private final TrendlineEstimator trendline = new TrendlineEstimator();
    private final OveruseDetector detector = new OveruseDetector();
    private final AcknowledgedBitrateEstimator acknowledged = new AcknowledgedBitrateEstimator();
    private final AimdRateControl rateControl;
    private final LossBasedController lossBased = new LossBasedController();
    private final ProbeBitrateEstimator probeEstimator = new ProbeBitrateEstimator();
    private final ProbeController probeController;

    private boolean transportCc;
    private long rembBps = -1;
    private long targetBps;
    private long lossWindowStart = Long.MIN_VALUE;
    private int lossWindowPackets;
    private int lossWindowLost;
    private long fastWindowStart = Long.MIN_VALUE;
    private int fastWindowPackets;
    private int fastWindowLost;
    private int resultsInFeedback;
    private long latestSend = Long.MIN_VALUE;
    private long probeResults;
    private long lastProbeResultBps;

    public SendSideBandwidthEstimator() {
        this(DEFAULT_START_BPS, DEFAULT_MIN_BPS, DEFAULT_MAX_BPS);
    }

    public SendSideBandwidthEstimator(long startBps, long minBps, long maxBps) {
        if (minBps <= 0 || minBps > startBps || startBps > maxBps) {
            throw new IllegalArgumentException("need 0 < min <= start <= max");
        }
        this.startBps = startBps;
        this.minBps = minBps;
        this.maxBps = maxBps;
        this.rateControl = new AimdRateControl(startBps, minBps, maxBps);
        this.probeController = new ProbeController(maxBps);
        this.targetBps = startBps;
    }

    /** One transport-cc feedback's results, in send order. */
    public void onPacketResults(List<PacketResult> results, long nowNanos) {
        for (int i = 0, n = results.size(); i < n; i++) {
            PacketResult r = results.get(i);
            onPacketResult(r.sendNanos(), r.arrivalNanos(), r.size(), r.probeCluster());
        }
        onFeedbackComplete(nowNanos);
    }

    /**
     * One result of a feedback, in send order; the allocation-free path, usable as
     * {@code history.onFeedback(fb, now, estimator::onPacketResult)}. Follow the feedback's
     * last result with {@link #onFeedbackComplete}.
     */
    public void onPacketResult(long sendNanos, long arrivalNanos, int size, int probeCluster) {
        resultsInFeedback++;
        latestSend = Math.max(latestSend, sendNanos);
        lossWindowPackets++;
        fastWindowPackets++;
        probeEstimator.onPacket(sendNanos, arrivalNanos, size, probeCluster);
        if (arrivalNanos == PacketResult.NOT_RECEIVED) {
            lossWindowLost++;
            fastWindowLost++;
            return;
        }
        acknowledged.onPacket(arrivalNanos, size);
        if (groups.add(sendNanos, arrivalNanos)) {
            trendline.update(groups.arrivalDeltaNanos(), groups.sendDeltaNanos(), groups.lastGroupArrivalNanos());
            detector.detect(trendline.modifiedTrend(), trendline.trend(),
                    groups.sendDeltaNanos() / 1e6, trendline.numDeltas(), groups.lastGroupArrivalNanos());
        }
    }

    /** Ends a feedback: one rate-control update with the detector's hypothesis. */
    public void onFeedbackComplete(long nowNanos) {
        if (resultsInFeedback == 0) {
            return;
        }
        resultsInFeedback = 0;
        if (!transportCc) {
            transportCc = true;
            probeController.setEnabled(true);
        }
        long ackedBps = acknowledged.bitrateBps();
        long probeBps = probeEstimator.poll(latestSend);
        BandwidthUsage usage = detector.state();
        if (probeBps > 0 && usage != BandwidthUsage.OVERUSING) {
            applyProbeResult(probeBps, nowNanos);
        } else if (usage == BandwidthUsage.OVERUSING) {
            if (rateControl.timeToReduceFurther(nowNanos, ackedBps)) {
                rateControl.update(usage, ackedBps, nowNanos);
            }
        } else {
            rateControl.update(usage, ackedBps, nowNanos);
        }
        updateTransportCcLoss(nowNanos);
        updateTarget();
    }

    /** The receiver's REMB: the estimate when transport-cc is absent, otherwise an upper cap. */
    public void onRemb(long bitrateBps, long nowNanos) {
        rembBps = bitrateBps;
        if (!transportCc) {
            probeController.setEnabled(false);
        }
        updateTarget();
    }

    /** The fraction lost (of 256) from a receiver report block about our stream. */
    public void onLossReport(int fractionLost256, long nowNanos) {
        onLoss(fractionLost256 / 256.0, nowNanos);
    }

    /** Round-trip time, e.g. from a receiver report's LSR/DLSR. */
    public void onRtt(long rttNanos) {
        this.rttNanos = rttNanos;
        rateControl.setRtt(rttNanos);
        lossBased.setRtt(rttNanos);
    }

    /** The latest round-trip time given to {@link #onRtt}, or 0 before the first. */
    public long rttNanos() {
        return rttNanos;
    }

    private long rttNanos;

    /**
     * A probe cluster's measured rate. Called internally when the estimator detects a cluster
     * among the results marked probe; public for a pacer that measures probes itself.
     */
    public void onProbeResult(long bitrateBps, long nowNanos) {
        applyProbeResult(bitrateBps, nowNanos);
        updateTarget();
    }

    /** The allocator's outcome, so probing happens when the estimate holds video back. */
    public void onAllocation(long desiredBps, boolean limitedByEstimate, long nowNanos) {
        probeController.onAllocation(desiredBps, limitedByEstimate, nowNanos);
    }

    public long targetBitrateBps() {
        return targetBps;
    }

    /**
     * The rate of a probe cluster to send now, or 0 when no probe is due. A non-zero answer is
     * given once per cluster: the caller sends it (see {@link ProbeController}'s contract).
     */
    public long probeBitrateBps(long nowNanos) {
        return probeController.nextProbe(nowNanos, targetBps);
    }

    /** The parts of the estimate, for diagnostics (logs). */
    public String diagnostics() {
        return "target=" + targetBps + " aimd=" + rateControl.bitrateBps() + " remb=" + rembBps + " lossCap="
                + lossBased.capBps() + " acked=" + acknowledged.bitrateBps() + " usage=" + detector.state()
                + " transportCc=" + transportCc + " probeResults=" + probeResults + " " + probeController;
    }

    /** The delay-based hypothesis now, for diagnostics and tests. */
    public BandwidthUsage usage() {
        return detector.state();
    }

    /** Probe clusters measured so far (each needed the receiver's feedback on its packets). */
    public long probeResults() {
        return probeResults;
    }

    /** The last probe cluster's measured rate, or 0 before the first. */
    public long lastProbeResultBps() {
        return lastProbeResultBps;
    }

    private void applyProbeResult(long bps, long nowNanos) {
        probeResults++;
        lastProbeResultBps = bps;
        rateControl.setEstimate(bps, nowNanos);
        lossBased.onProbeResult(bps);
        probeController.onProbeResult(bps, nowNanos);
    }

    private void updateTransportCcLoss(long nowNanos) {
        if (lossWindowStart == Long.MIN_VALUE) {
            lossWindowStart = nowNanos;
            fastWindowStart = nowNanos;
        }
        if (nowNanos - fastWindowStart >= FAST_LOSS_WINDOW_NANOS && fastWindowPackets >= LOSS_WINDOW_MIN_PACKETS) {
            double fraction = fastWindowLost / (double) fastWindowPackets;
            fastWindowStart = nowNanos;
            fastWindowPackets = 0;
            fastWindowLost = 0;
            if (fraction >= FAST_LOSS_FRACTION) {
                onLoss(fraction, nowNanos);
                lossWindowStart = nowNanos;     // judged: not again in the long window
                lossWindowPackets = 0;
                lossWindowLost = 0;
                return;
            }
        }
        if (nowNanos - lossWindowStart >= LOSS_WINDOW_NANOS && lossWindowPackets >= LOSS_WINDOW_MIN_PACKETS) {
            onLoss(lossWindowLost / (double) lossWindowPackets, nowNanos);
            lossWindowStart = nowNanos;
            lossWindowPackets = 0;
            lossWindowLost = 0;
        }
    }

    private void onLoss(double fraction, long nowNanos) {
        lossBased.onLoss(fraction, targetBps, upperBps(), transportCc ? acknowledged.bitrateBps() : -1, nowNanos);
        updateTarget();
    }

    /** What the target would be without the loss cap. */
    private long upperBps() {
        long upper = transportCc ? rateControl.bitrateBps() : (rembBps > 0 ? rembBps : startBps);
        if (transportCc && rembBps > 0) {
            upper = Math.min(upper, rembBps);
        }
        return upper;
    }

    private void updateTarget() {
        long t = Math.min(upperBps(), lossBased.capBps());
        targetBps = Math.max(minBps, Math.min(maxBps, t));
    }
}

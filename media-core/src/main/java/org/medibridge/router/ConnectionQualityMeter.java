package org.medibridge.router;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.medibridge.bwe.ConnectionQuality;
import org.medibridge.simulcast.LayerSelector;

/**
 * One participant's connection quality, read once a second off the two connections' media state
 * and fed to {@link ConnectionQuality}. Call {@link #sample} on the room's worker thread: it reads
 * worker-owned counters.
 *
 * <pre>
 *   input        uplink (publisher connection)                downlink (subscriber connection)
 *   loss         expected vs received since the last sample,  the worst fraction lost of the
 *                over all its incoming streams (RFC 3550 A.3) subscriber's latest receiver reports
 *   RTT          —                                            mean of the legs' RTT (RFC 3550 §6.4.1)
 *   jitter       the worst incoming stream's (A.8)            the worst leg's reported jitter
 *   bitrate      —                                            simulcast legs: how far below the
 *                                                             layer the viewer wants the allocator
 *                                                             had to go ((current+1)/(preferred+1))
 * </pre>
 * The worse of the two directions counts: a participant whose camera cannot get out has as bad a
 * visit as one who cannot see. Everything the publisher sends stopping (while it publishes) is a
 * loss of 100 % for that second, so a dead uplink reads LOST within a few samples.
 */
public final class ConnectionQualityMeter {
    private final ConnectionQuality quality = new ConnectionQuality();
    /** Per incoming stream, by SSRC: expected and received at the previous sample. */
    private final Map<Long, long[]> priorCounts = new HashMap<>();
    private ConnectionQuality.Level level = ConnectionQuality.Level.GOOD;
    private boolean sampled;

    /**
     * Takes one sample. Either endpoint may be null (not connected yet, or listen-only); with
     * neither there is nothing to judge and the level stays as it was.
     */
    public ConnectionQuality.Level sample(MediaEndpoint publisher, MediaEndpoint subscriber, long nowNanos) {
        double loss = -1;
        double jitterMs = 0;
        double rttMs = -1;
        long bitrate = 0;
        long expectedBitrate = 0;
        boolean any = false;

        if (publisher != null && !publisher.closed && publisher.isReady()) {
            List<IncomingStream> streams = publisher.incoming.values();
            long expected = 0;
            long received = 0;
            int streamsWithData = 0;
            for (IncomingStream s : streams) {
                if (!s.stats.hasData()) {
                    continue;
                }
                streamsWithData++;
                long[] prior = priorCounts.computeIfAbsent(s.ssrc, k -> new long[] {s.stats.expected(), s.stats.received()});
                long e = s.stats.expected();
                long r = s.stats.received();
                if (!s.paused) {
                    expected += Math.max(0, e - prior[0]);
                    received += Math.max(0, r - prior[1]);
                    jitterMs = Math.max(jitterMs, s.stats.jitter() * 1000.0 / s.clockRate);
                }
                prior[0] = e;
                prior[1] = r;
            }
            if (streamsWithData > 0) {
                any = true;
                if (expected > 0) {
                    loss = Math.max(0, (expected - received) / (double) expected);
                } else if (sampled && !allPaused(streams)) {
                    loss = 1.0; // it publishes, but nothing arrived for a whole interval
                }
            }
        }

        if (subscriber != null && !subscriber.closed && subscriber.isReady()) {
            double worstLoss = -1;
            double rttSum = 0;
            int rttCount = 0;
            double ratioSum = 0;
            int simulcastLegs = 0;
            for (OutgoingStream leg : subscriber.outgoing.values()) {
                if (leg.packetsSent == 0) {
                    continue;
                }
                any = true;
                worstLoss = Math.max(worstLoss, leg.lastFractionLost / 256.0);
                if (leg.rttMillis >= 0) {
                    rttSum += leg.rttMillis;
                    rttCount++;
                }
                if (leg.lastReportedJitter > 0) {
                    jitterMs = Math.max(jitterMs, leg.lastReportedJitter * 1000.0 / leg.clockRate);
                }
                LayerSelector sel = leg.selector;
                if (sel != null && sel.preferredSpatial() != LayerSelector.NONE) {
                    simulcastLegs++;
                    int current = Math.max(sel.currentSpatial(), sel.targetSpatial());
                    ratioSum += Math.min(1.0, (Math.max(current, LayerSelector.NONE) + 1)
                            / (double) (sel.preferredSpatial() + 1));
                }
            }
            loss = Math.max(loss, worstLoss);
            if (rttCount > 0) {
                rttMs = rttSum / rttCount;
            }
            if (simulcastLegs > 0) {
                expectedBitrate = 1000;
                bitrate = Math.round(1000 * ratioSum / simulcastLegs);
            }
        }
        if (!any) {
            return level;
        }
        sampled = true;
        level = quality.onSample(Math.max(0, loss), rttMs, jitterMs, bitrate, expectedBitrate, nowNanos);
        return level;
    }

    /** Whether any sample had something to judge. */
    public boolean hasSample() {
        return sampled;
    }

    /** The level of the last sample (GOOD before any). */
    public ConnectionQuality.Level level() {
        return level;
    }

    private static boolean allPaused(List<IncomingStream> streams) {
        for (IncomingStream s : streams) {
            if (!s.paused) {
                return false;
            }
        }
        return true;
    }
}

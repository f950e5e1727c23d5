package org.medibridge.router;

import org.medibridge.bwe.ProbeCluster;
import org.medibridge.rtp.RtxEncoder;

/**
 * Sends the probe clusters a subscriber's estimator asks for
 * ({@link org.medibridge.bwe.SendSideBandwidthEstimator#probeBitrateBps}), so that spare capacity
 * is found by measurement instead of the 8 %/s additive climb: after a throttle is lifted, or at
 * the start of a call.
 *
 * <p>A cluster is padding-only RTP packets (RFC 3550 §5.1, 255 bytes of padding, the most the
 * one-octet count allows) on the RTX stream of one of the subscriber's video legs, each stamped
 * with a transport-wide sequence number and recorded in the {@link org.medibridge.bwe.SentPacketHistory}
 * under the cluster's id; the subscriber's transport-cc feedback then tells
 * {@code ProbeBitrateEstimator} the rate that got through. Browsers count such packets for
 * feedback and drop them (an RTX payload shorter than the 2-byte OSN carries nothing to
 * recover), so they cost bandwidth and nothing else.
 *
 * <p>No RTX negotiated on any video leg: no probing. Padding on the media SSRC would need
 * sequence numbers spliced into the rewritten stream (and for a plain leg, a shift of the
 * publisher→subscriber mapping); every browser accepts rtx, so a client without it only loses
 * the fast ramp-up, and the estimate still climbs by AIMD.
 *
 * <p>Pacing. The worker ticks every 20 ms ({@link MediaWorker#TICK_NANOS}), longer than a whole
 * 15 ms cluster, and the estimator measures a cluster's send rate from the send times of its
 * first and last packets: a burst within one tick would show a near-zero send interval (no
 * result) and a queue spike at the receiver rather than a rate. So a cluster is paced on its
 * own timer: {@link ProbeCluster} schedules its packets evenly at the probe rate, and the worker
 * wakes at the next packet's time ({@link MediaWorker#schedulePace}) — armed only while a
 * cluster is being sent, about 15–20 ms every few seconds — and sends whatever is due. At high
 * rates several packets share a wake-up (a 7.5 Mbit/s cluster is ~50 packets 0.3 ms apart);
 * the send times recorded are the real ones, so a late wake-up shows as a lower send rate and
 * the result stays conservative ({@code min(send rate, receive rate)}).
 *
 * <p>Worker thread only; nothing here allocates.
 */
final class ProbePacer {
    static final int PADDING_BYTES = RtxEncoder.MAX_PADDING;

    final ProbeCluster cluster = new ProbeCluster();
    /** The leg whose RTX stream carries the cluster being sent, or null. */
    private OutgoingStream leg;

    /** On the worker's tick: starts a cluster when the estimator asks for one and a leg can carry it. */
    static void onTick(MediaEndpoint ep, long nowNanos) {
        ProbePacer pacer = ep.prober;
        if (pacer == null || !ep.isReady() || pacer.cluster.active()) {
            return;
        }
        // Ask only when a cluster can go out: the estimator takes an answer as "being sent".
        OutgoingStream carrier = ep.outgoing.find(ProbePacer::canCarryProbes);
        if (carrier == null) {
            return;
        }
        long rate = ep.estimator.probeBitrateBps(nowNanos);
        if (rate <= 0) {
            return;
        }
        pacer.leg = carrier;
        pacer.cluster.start(rate, probePacketBytes(carrier), nowNanos);
        ep.stats.probeClustersSent++;
        ep.room.worker().schedulePace(nowNanos);
    }

    /** On the pacing timer: sends the packets due by now and re-arms the timer for the next one. */
    static void onPace(MediaEndpoint ep, Egress egress, long nowNanos) {
        ProbePacer pacer = ep.prober;
        if (pacer == null || !pacer.cluster.active()) {
            return;
        }
        OutgoingStream carrier = pacer.leg;
        if (!ep.isReady() || ep.outgoing.get(carrier.ssrc) != carrier) {
            pacer.stop();                       // unsubscribed or closed mid-cluster
            return;
        }
        for (int n = pacer.cluster.due(nowNanos); n > 0; n--) {
            if (egress.sendProbe(carrier, pacer.cluster.id(), PADDING_BYTES, nowNanos) < 0) {
                pacer.stop();
                return;
            }
            pacer.cluster.onSent();
        }
        if (pacer.cluster.active()) {
            ep.room.worker().schedulePace(pacer.cluster.nextSendNanos());
        } else {
            pacer.leg = null;
        }
    }

    /**
     * A video leg with RTX, where transport-cc is negotiated (else nothing measures the probe)
     * with a one-byte-form id, that already sends media (the browser has set up its receiver).
     */
    static boolean canCarryProbes(OutgoingStream leg) {
        return leg.hasRtx() && leg.packetsSent > 0
                && leg.transportCcId > 0 && leg.transportCcId <= 14 && leg.absSendTimeId <= 14;
    }

    static int probePacketBytes(OutgoingStream leg) {
        return RtxEncoder.paddingPacketLength(leg.absSendTimeId, leg.transportCcId, PADDING_BYTES);
    }

    private void stop() {
        cluster.abandon();
        leg = null;
    }
}

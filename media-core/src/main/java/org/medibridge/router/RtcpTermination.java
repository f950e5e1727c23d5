package org.medibridge.router;

import org.medibridge.buffer.PacketBuffer;
import org.medibridge.rtcp.Fir;
import org.medibridge.rtcp.GenericNack;
import org.medibridge.rtcp.NtpTime;
import org.medibridge.rtcp.Pli;
import org.medibridge.rtcp.ReceiverReport;
import org.medibridge.rtcp.ReportBlock;
import org.medibridge.rtcp.RtcpCompoundIterator;
import org.medibridge.rtcp.RtcpPacketType;
import org.medibridge.rtcp.SenderReport;

/**
 * RTCP is terminated per leg (RFC 7667 §3.7, "media-switching mixer"): nothing a browser sends
 * is forwarded as is. Feedback from a subscriber is translated to the stream it concerns:
 * PLI/FIR become a (throttled) keyframe request to the publisher, NACKs are answered from the
 * leg's retransmission cache, receiver reports give the leg's round-trip time. Sender reports
 * from a publisher give the timing our own receiver and sender reports need.
 */
final class RtcpTermination {
    private final RtcpCompoundIterator it = new RtcpCompoundIterator();
    private final SenderReport sr = new SenderReport();
    private final ReceiverReport rr = new ReceiverReport();
    private final ReportBlock block = new ReportBlock();
    private final Pli pli = new Pli();
    private final Fir fir = new Fir();
    private final GenericNack nack = new GenericNack();
    private final int[] lost = new int[17];
    private final org.medibridge.rtcp.TransportCcFeedback twcc = new org.medibridge.rtcp.TransportCcFeedback();
    private final org.medibridge.rtcp.Remb remb = new org.medibridge.rtcp.Remb();
    private final Egress egress;

    RtcpTermination(Egress egress) {
        this.egress = egress;
    }

    void onRtcp(MediaEndpoint from, PacketBuffer p, long nowNanos) {
        byte[] buf = p.getBuffer();
        if (!it.reset(buf, p.getOffset(), p.getLength())) {
            from.stats.drops.count(DropReason.RTCP_MALFORMED);
            return;
        }
        while (it.next()) {
            int off = it.packetOffset();
            int len = it.packetLength();
            switch (it.packetType()) {
                case RtcpPacketType.SR -> onSenderReport(from, buf, off, len, nowNanos);
                case RtcpPacketType.RR -> {
                    if (rr.wrap(buf, off, len)) {
                        for (int i = 0; i < rr.reportCount(); i++) {
                            onReportBlock(from, rr.reportBlock(i, block));
                        }
                    }
                }
                case RtcpPacketType.PSFB -> {
                    if (it.fmt() == Pli.FMT && pli.wrap(buf, off, len)) {
                        onKeyframeRequest(from, pli.mediaSsrc());
                    } else if (it.fmt() == Fir.FMT && fir.wrap(buf, off, len)) {
                        for (int i = 0; i < fir.entryCount(); i++) {
                            onKeyframeRequest(from, fir.entrySsrc(i));
                        }
                    }
                    if (it.fmt() == org.medibridge.rtcp.Remb.FMT && from.estimator != null && remb.wrap(buf, off, len)) {
                        from.estimator.onRemb(remb.bitrate(), nowNanos);
                    }
                }
                case RtcpPacketType.RTPFB -> {
                    if (it.fmt() == GenericNack.FMT && nack.wrap(buf, off, len)) {
                        onNack(from, nowNanos);
                    }
                    if (it.fmt() == org.medibridge.rtcp.TransportCcFeedback.FMT && from.sentHistory != null
                            && twcc.wrap(buf, off, len)) {
                        // draft-holmer-rmcat-transport-wide-cc-extensions: arrival times of what we sent.
                        from.sentHistory.onFeedback(twcc, nowNanos, from.estimator::onPacketResult);
                        from.estimator.onFeedbackComplete(nowNanos);
                    }
                }
                default -> {
                    // SDES, BYE, APP: nothing to act on; our own SDES/BYE are generated per leg.
                }
            }
        }
    }

    private void onSenderReport(MediaEndpoint from, byte[] buf, int off, int len, long nowNanos) {
        if (!sr.wrap(buf, off, len)) {
            return;
        }
        IncomingStream s = from.incoming.get(sr.ssrc());
        if (s != null) {
            s.haveSenderReport = true;
            s.srRtpTimestamp = sr.rtpTimestamp();
            s.srArrivalNanos = nowNanos;
            s.srCompactNtp = NtpTime.compact(sr.ntpTimestamp());
            for (MediaTap tap : s.taps) {
                tap.onSenderReport(s, sr.ntpTimestamp(), sr.rtpTimestamp(), nowNanos);
            }
        }
        for (int i = 0; i < sr.reportCount(); i++) {
            onReportBlock(from, sr.reportBlock(i, block));
        }
    }

    private void onReportBlock(MediaEndpoint from, ReportBlock b) {
        OutgoingStream leg = from.outgoing.get(b.sourceSsrc());
        if (leg == null) {
            return;
        }
        leg.lastFractionLost = b.fractionLost();
        leg.lastReportedJitter = b.jitter();
        if (from.estimator != null) {
            from.estimator.onLossReport(b.fractionLost(), System.nanoTime());
        }
        long arrival = NtpTime.compact(NtpTime.fromUnixMillis(System.currentTimeMillis()));
        long rtt = NtpTime.rttCompact(arrival, b.lastSr(), b.delaySinceLastSr());
        if (rtt >= 0) {
            leg.rttMillis = NtpTime.compactToNanos(rtt) / 1_000_000L;
            if (from.estimator != null) {
                from.estimator.onRtt(NtpTime.compactToNanos(rtt));
            }
        }
    }

    private void onKeyframeRequest(MediaEndpoint from, long mediaSsrc) {
        OutgoingStream leg = from.outgoing.get(mediaSsrc);
        if (leg == null) {
            return;
        }
        leg.keyframeRequestsReceived++;
        from.stats.keyframeRequestsReceived++;
        leg.requestKeyframe();
    }

    private void onNack(MediaEndpoint from, long nowNanos) {
        OutgoingStream leg = from.outgoing.get(nack.mediaSsrc());
        if (leg == null) {
            return;
        }
        for (int i = 0; i < nack.fciCount(); i++) {
            int n = GenericNack.expand(nack.pid(i), nack.blp(i), lost, 0);
            for (int j = 0; j < n; j++) {
                leg.nacksReceived++;
                from.stats.nacksReceived++;
                egress.retransmit(leg, lost[j], nowNanos);
            }
        }
    }
}

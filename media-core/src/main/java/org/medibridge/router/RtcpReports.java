package org.medibridge.router;

import org.medibridge.buffer.PacketBuffer;
import org.medibridge.rtcp.GenericNack;
import org.medibridge.rtcp.NtpTime;
import org.medibridge.rtcp.Pli;
import org.medibridge.rtcp.ReceiverReport;
import org.medibridge.rtcp.RtcpHeader;
import org.medibridge.rtcp.RtcpPacketType;
import org.medibridge.rtcp.Sdes;
import org.medibridge.rtcp.SenderReport;

/**
 * The RTCP the server originates, on the worker's tick:
 * <ul>
 *   <li>to a publisher, about once a second: one receiver report block per stream it sends
 *       (RFC 3550 §6.4.2) and our CNAME (§6.5.1; a compound packet starts with a report, §6.1);
 *   <li>to a subscriber, about once a second: a sender report per leg (§6.4.1) whose NTP/RTP
 *       pair follows the publisher's own, so the subscriber can sync audio with video;
 *   <li>to a publisher, every tick: Generic NACKs for missing video packets ({@link NackGenerator});
 *   <li>a pending keyframe request as PLI (RFC 4585 §6.3.1), at most once per
 *       {@link IncomingStream#KEYFRAME_REQUEST_INTERVAL_NANOS} per stream, however many
 *       subscribers ask.
 * </ul>
 */
final class RtcpReports {
    static final long REPORT_INTERVAL_NANOS = 1_000_000_000L;
    /** A compound packet must stay well under the MTU; stop adding blocks past this. */
    private static final int MAX_COMPOUND = 1100;

    private final Egress egress;

    RtcpReports(Egress egress) {
        this.egress = egress;
    }

    void onTick(MediaEndpoint ep, long nowNanos) {
        if (!ep.isReady()) {
            return;
        }
        if (ep.role == MediaEndpoint.Role.PUBLISHER) {
            java.util.List<IncomingStream> streams = ep.incoming.values();
            sendKeyframeRequests(ep, streams, nowNanos);
            sendNacks(ep, streams, nowNanos);
            sendTransportFeedback(ep, nowNanos);
        }
        if (nowNanos - ep.nextReportNanos < 0) {
            return;
        }
        ep.nextReportNanos = nowNanos + REPORT_INTERVAL_NANOS;
        if (ep.role == MediaEndpoint.Role.PUBLISHER) {
            sendReceiverReports(ep, nowNanos);
        } else {
            sendSenderReports(ep, nowNanos);
        }
    }

    private void sendReceiverReports(MediaEndpoint ep, long nowNanos) {
        PacketBuffer p = egress.rtcpScratch();
        byte[] buf = p.getBuffer();
        int off = p.getOffset();
        int len = 0;
        for (IncomingStream s : ep.incoming.values()) {
            if (!s.stats.hasData() || len + 64 > MAX_COMPOUND) {
                continue;
            }
            long lsr = s.haveSenderReport ? s.srCompactNtp : 0;
            long dlsr = s.haveSenderReport ? NtpTime.nanosToCompact(nowNanos - s.srArrivalNanos) : 0;
            len += ReceiverReport.writeOneBlock(buf, off + len, ep.rtcpSsrc, s.ssrc, s.stats.takeFractionLost(),
                    s.stats.cumulativeLost(), s.stats.extendedHighestSequence(), s.stats.jitter(), lsr, dlsr);
        }
        if (len == 0) {
            len += emptyReceiverReport(buf, off, ep.rtcpSsrc);
        }
        len += Sdes.writeCname(buf, off + len, ep.rtcpSsrc, ep.cname);
        p.setLength(len);
        egress.sendRtcp(ep, p);
    }

    private void sendSenderReports(MediaEndpoint ep, long nowNanos) {
        PacketBuffer p = egress.rtcpScratch();
        byte[] buf = p.getBuffer();
        int off = p.getOffset();
        int len = 0;
        long ntp = NtpTime.fromUnixMillis(System.currentTimeMillis());
        long firstSsrc = -1;
        for (OutgoingStream leg : ep.outgoing.values()) {
            if (leg.packetsSent == 0 || len + 64 > MAX_COMPOUND) {
                continue;
            }
            long rtpTs = leg.extrapolatedTimestamp(nowNanos);
            len += SenderReport.write(buf, off + len, leg.ssrc, ntp, rtpTs, leg.packetsSent, leg.octetsSent);
            if (firstSsrc < 0) {
                firstSsrc = leg.ssrc;
            }
        }
        if (len == 0) {
            return;
        }
        len += Sdes.writeCname(buf, off + len, firstSsrc, ep.cname);
        p.setLength(len);
        egress.sendRtcp(ep, p);
    }

    private void sendKeyframeRequests(MediaEndpoint ep, java.util.List<IncomingStream> streams, long nowNanos) {
        for (IncomingStream s : streams) {
            if (!s.keyframeRequestPending
                    || nowNanos - s.lastKeyframeRequestNanos < IncomingStream.KEYFRAME_REQUEST_INTERVAL_NANOS) {
                continue;
            }
            s.keyframeRequestPending = false;
            s.lastKeyframeRequestNanos = nowNanos;
            s.keyframeRequestsSent++;
            ep.stats.keyframeRequestsSent++;
            ep.room.worker().keyframeRequestsSent.incrementAndGet();
            PacketBuffer p = egress.rtcpScratch();
            byte[] buf = p.getBuffer();
            int off = p.getOffset();
            // RFC 4585 §3.1: feedback travels in a compound packet that starts with a report.
            int len = emptyReceiverReport(buf, off, ep.rtcpSsrc);
            len += Pli.write(buf, off + len, ep.rtcpSsrc, s.ssrc);
            p.setLength(len);
            egress.sendRtcp(ep, p);
        }
    }

    /**
     * Generic NACKs (RFC 4585 §6.2.1) for what each stream's {@link NackGenerator} finds due, one
     * compound packet per stream that has any, every tick: a request waits for the tick at most
     * {@link MediaWorker#TICK_NANOS}, well under a video frame's jitter-buffer time.
     */
    private void sendNacks(MediaEndpoint ep, java.util.List<IncomingStream> streams, long nowNanos) {
        for (int i = 0; i < streams.size(); i++) {
            IncomingStream s = streams.get(i);
            if (s.nack == null || !s.nackEnabled) {
                continue;
            }
            int n = s.nack.collect(nowNanos, nackSeqs);
            if (n == 0) {
                continue;
            }
            ep.stats.nacksSent += n;
            ep.room.worker().nacksSent.addAndGet(n);
            PacketBuffer p = egress.rtcpScratch();
            byte[] buf = p.getBuffer();
            int off = p.getOffset();
            // RFC 4585 §3.1: feedback travels in a compound packet that starts with a report.
            int len = emptyReceiverReport(buf, off, ep.rtcpSsrc);
            len += GenericNack.write(buf, off + len, ep.rtcpSsrc, s.ssrc, nackSeqs, n);
            p.setLength(len);
            egress.sendRtcp(ep, p);
        }
    }

    /** At most this many sequence numbers per NACK: ≤ 128 FCIs, 524 bytes, well under the MTU. */
    static final int MAX_NACK_SEQS = 128;
    private final int[] nackSeqs = new int[MAX_NACK_SEQS];

    /** Feedback on what arrived from the publisher, every ~{@link #FEEDBACK_INTERVAL_NANOS}. */
    private void sendTransportFeedback(MediaEndpoint ep, long nowNanos) {
        if (ep.feedbackGenerator == null || nowNanos - ep.nextFeedbackNanos < 0) {
            return;
        }
        ep.nextFeedbackNanos = nowNanos + FEEDBACK_INTERVAL_NANOS;
        // Not 0: Chrome drops transport feedback whose media SSRC is not one of its senders', and
        // its estimator then backs off by 20 % every 300 ms as if the network were gone.
        long mediaSsrc = ep.feedbackMediaSsrc;
        for (int guard = 0; guard < 8; guard++) {
            PacketBuffer p = egress.rtcpScratch();
            byte[] buf = p.getBuffer();
            int off = p.getOffset();
            int len = emptyReceiverReport(buf, off, ep.rtcpSsrc);
            int fb = ep.feedbackGenerator.buildFeedback(buf, off + len, ep.rtcpSsrc, mediaSsrc, nowNanos);
            if (fb == 0) {
                return;
            }
            p.setLength(len + fb);
            egress.sendRtcp(ep, p);
        }
    }

    /** libwebrtc sends transport feedback every 50–100 ms; the worker's tick is 20 ms. */
    static final long FEEDBACK_INTERVAL_NANOS = 60_000_000L;

    /** An RR with no report blocks: 8 bytes. */
    private static int emptyReceiverReport(byte[] buf, int off, long senderSsrc) {
        RtcpHeader.write(buf, off, 0, RtcpPacketType.RR, ReceiverReport.HEADER_LENGTH);
        org.medibridge.rtp.Bytes.writeUint32(buf, off + 4, senderSsrc);
        return ReceiverReport.HEADER_LENGTH;
    }
}

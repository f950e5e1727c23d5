package org.medibridge.router;

import java.nio.charset.StandardCharsets;
import org.medibridge.srtp.SrtpSession;

/**
 * The media side of one peer connection: its SRTP session, where its datagrams go, and the
 * streams it publishes or receives. A publisher endpoint receives RTP and is sent RTCP; a
 * subscriber endpoint is sent RTP and RTCP and sends back RTCP. Owned by the room's worker
 * thread; other threads reach it only through {@link MediaRoom#execute}.
 */
public final class MediaEndpoint {
    public enum Role { PUBLISHER, SUBSCRIBER }

    final String id;
    final Role role;
    final MediaRoom room;
    final DatagramSink sink;
    final HeaderExtensionIds extensionIds;
    /** SSRC the server uses as RTCP sender on this connection (RFC 3550 §6.4). */
    final long rtcpSsrc;
    final byte[] cname;

    SrtpSession srtp;
    boolean closed;

    /** Publisher: the streams it sends, by SSRC. */
    final SsrcMap<IncomingStream> incoming = new SsrcMap<>();
    /** Publisher: RTX SSRC (RFC 4588) → the stream it repairs. */
    final SsrcMap<IncomingStream> repairs = new SsrcMap<>();
    /** Publisher: its rid-simulcast tracks, whose layer SSRCs are learnt from RTP. */
    SimulcastSource[] simulcastSources = new SimulcastSource[0];

    /** Subscriber: the legs sent to it, by their outgoing SSRC. */
    final SsrcMap<OutgoingStream> outgoing = new SsrcMap<>();

    /** Transport-wide sequence number (draft-holmer-rmcat-transport-wide-cc-extensions §2). */
    int transportSequence;
    long nextReportNanos;

    final EndpointStats stats;

    // Send-side bandwidth estimation, for subscriber connections (null on publishers):
    // transport-wide sequence numbers sent → feedback → estimate → allocation of layers.
    final org.medibridge.bwe.SentPacketHistory sentHistory;
    /** Publisher connections: the transport-wide feedback we owe the browser (null on subscribers). */
    final org.medibridge.bwe.TransportFeedbackGenerator feedbackGenerator;
    long nextFeedbackNanos;
    /**
     * Media SSRC our transport-cc feedback names: one the publisher sends (the latest seen).
     * libwebrtc hands a feedback to its estimator only when this is one of its own SSRCs.
     */
    long feedbackMediaSsrc;
    final org.medibridge.bwe.SendSideBandwidthEstimator estimator;
    final org.medibridge.bwe.BandwidthAllocator allocator;
    long nextAllocationNanos;
    /** Subscribers: sends the probe clusters the estimator asks for (null on publishers). */
    final ProbePacer prober;
    /** Simulcast legs sent to this subscriber; allocation runs only when there are any. */
    int simulcastLegs;
    static final long SUBSCRIBER_START_BPS = 2_500_000;

    MediaEndpoint(String id, Role role, MediaRoom room, DatagramSink sink, HeaderExtensionIds extensionIds,
                  long rtcpSsrc, String cname) {
        this.id = id;
        this.role = role;
        this.room = room;
        this.sink = sink;
        this.extensionIds = extensionIds;
        this.rtcpSsrc = rtcpSsrc;
        this.cname = cname.getBytes(StandardCharsets.US_ASCII);
        this.stats = new EndpointStats(room.worker().drops());
        boolean subscriber = role == Role.SUBSCRIBER;
        this.sentHistory = subscriber ? new org.medibridge.bwe.SentPacketHistory() : null;
        // Start as a clinic's broadband would allow: without probing (not sent yet) the estimate
        // only climbs at ~8 %/s, while delay-based detection brings it down within a second.
        this.estimator = subscriber ? new org.medibridge.bwe.SendSideBandwidthEstimator(
                SUBSCRIBER_START_BPS, org.medibridge.bwe.SendSideBandwidthEstimator.DEFAULT_MIN_BPS,
                org.medibridge.bwe.SendSideBandwidthEstimator.DEFAULT_MAX_BPS) : null;
        this.allocator = subscriber ? new org.medibridge.bwe.BandwidthAllocator() : null;
        this.prober = subscriber ? new ProbePacer() : null;
        this.feedbackGenerator = !subscriber && extensionIds.transportCc() > 0
                ? new org.medibridge.bwe.TransportFeedbackGenerator() : null;
    }

    public String id() { return id; }
    public Role role() { return role; }
    public boolean isReady() { return srtp != null && !closed; }
    public EndpointStats stats() { return stats; }
    public long rtcpSsrc() { return rtcpSsrc; }

    /** The send-side bandwidth estimate toward this subscriber, in bit/s (0 for publishers). */
    public long estimatedBitrateBps() { return estimator == null ? 0 : estimator.targetBitrateBps(); }

    /** Probe clusters the subscriber's feedback let the estimator measure (0 for publishers). */
    public long probeResults() { return estimator == null ? 0 : estimator.probeResults(); }

    /** The last probe cluster's measured rate in bit/s, or 0. */
    public long lastProbeResultBps() { return estimator == null ? 0 : estimator.lastProbeResultBps(); }
}

package org.medibridge.router;

import org.medibridge.simulcast.LayerSelector;
import org.medibridge.simulcast.SimulcastRewriter;

/**
 * One leg: an {@link IncomingStream} as one subscriber receives it, with its own SSRC,
 * continuous sequence numbers and timestamps, its sender-report counters and its
 * retransmission cache. Owned by the room's worker thread.
 */
public final class OutgoingStream {
    /** About 2.5 s of 720p video at ~200 packets/s: enough for NACKs on a poor network. */
    static final int VIDEO_CACHE_PACKETS = 512;
    static final int CACHE_MAX_AGE_MILLIS = 3000;

    final MediaEndpoint subscriber;
    /** The stream forwarded, or null for a simulcast leg. */
    final IncomingStream source;
    /** The simulcast track forwarded, or null for a plain leg. */
    final SimulcastSource simulcast;
    /** Simulcast legs: which layer goes out (preferred / target / current), and the rewriting that hides switches. */
    final LayerSelector selector;
    final SimulcastRewriter simulcastRewriter;
    final int clockRate;
    final long ssrc;
    final int payloadType;
    /** Incoming header extension id → outgoing id; 0 erases the element. */
    final byte[] extensionIdMap;
    final int absSendTimeId;
    final int transportCcId;
    final SequenceRewriter sequence = new SequenceRewriter();
    final RetransmissionCache cache;
    /**
     * The RTX stream paired with this leg (RFC 4588, {@code a=ssrc-group:FID}), or -1 when the
     * subscriber did not accept rtx: retransmissions then resend the original packet and the
     * leg cannot carry probe padding.
     */
    final long rtxSsrc;
    final int rtxPayloadType;
    /** The RTX stream's own sequence numbers (RFC 4588 §4), shared by retransmissions and probes. */
    int rtxSequence;

    final int firstSequence;
    final long timestampOffset;
    /** Video legs start at a keyframe, so the decoder never sees a delta frame first. */
    boolean waitingForKeyframe;

    long packetsSent;
    long octetsSent;
    long lastSentRtpTimestamp;
    long lastSentNanos;
    long nacksReceived;
    long retransmissions;
    long retransmissionMisses;
    long keyframeRequestsReceived;
    /** Round-trip time from the subscriber's receiver reports (RFC 3550 §6.4.1), or -1. */
    long rttMillis = -1;
    int lastFractionLost;
    /** Interarrival jitter of the subscriber's latest receiver report, in RTP timestamp units. */
    long lastReportedJitter;

    OutgoingStream(MediaEndpoint subscriber, IncomingStream source, long ssrc, int payloadType,
                   HeaderExtensionIds outIds, int firstSequence, long timestampOffset) {
        this(subscriber, source, null, ssrc, payloadType, Rtx.NONE, outIds, firstSequence, timestampOffset);
    }

    OutgoingStream(MediaEndpoint subscriber, IncomingStream source, long ssrc, int payloadType, Rtx rtx,
                   HeaderExtensionIds outIds, int firstSequence, long timestampOffset) {
        this(subscriber, source, null, ssrc, payloadType, rtx, outIds, firstSequence, timestampOffset);
    }

    /** A leg of a simulcast track: one continuous stream made of whichever layer is selected. */
    OutgoingStream(MediaEndpoint subscriber, SimulcastSource simulcast, long ssrc, int payloadType, Rtx rtx,
                   HeaderExtensionIds outIds, int firstSequence, long timestampOffset) {
        this(subscriber, null, simulcast, ssrc, payloadType, rtx, outIds, firstSequence, timestampOffset);
    }

    private OutgoingStream(MediaEndpoint subscriber, IncomingStream source, SimulcastSource simulcast, long ssrc,
                           int payloadType, Rtx rtx, HeaderExtensionIds outIds, int firstSequence,
                           long timestampOffset) {
        this.subscriber = subscriber;
        this.rtxSsrc = rtx.ssrc();
        this.rtxPayloadType = rtx.payloadType();
        this.rtxSequence = firstSequence ^ 0x5A5A;   // any start; RFC 4588 §4 only asks for its own space
        this.source = source;
        this.simulcast = simulcast;
        this.ssrc = ssrc;
        this.payloadType = payloadType;
        MediaEndpoint publisher = source != null ? source.publisher : simulcast.publisher;
        MediaKind kind = source != null ? source.kind : simulcast.kind;
        this.clockRate = source != null ? source.clockRate : simulcast.clockRate;
        this.extensionIdMap = publisher.extensionIds.translationTo(outIds);
        this.absSendTimeId = outIds.absSendTime();
        this.transportCcId = outIds.transportCc();
        this.firstSequence = firstSequence;
        this.timestampOffset = timestampOffset;
        this.waitingForKeyframe = kind == MediaKind.VIDEO;
        this.selector = simulcast != null ? new LayerSelector() : null;
        this.simulcastRewriter = simulcast != null
                ? new SimulcastRewriter(ssrc, firstSequence, timestampOffset, simulcast.clockRate) : null;
        if (selector != null) {
            // Until the subscriber says how large it shows the video: the best layer there is.
            selector.setPreferred(LayerSelector.MAX_SPATIAL_LAYERS - 1, LayerSelector.MAX_TEMPORAL_LAYERS - 1);
            selector.setTarget(LayerSelector.MAX_SPATIAL_LAYERS - 1, LayerSelector.MAX_TEMPORAL_LAYERS - 1);
        }
        this.cache = kind == MediaKind.VIDEO
                ? new RetransmissionCache(VIDEO_CACHE_PACKETS, org.medibridge.buffer.PacketPool.MAX_DATAGRAM, CACHE_MAX_AGE_MILLIS)
                : null;
    }

    long rewriteTimestamp(long inTimestamp) {
        return (inTimestamp + timestampOffset) & 0xFFFFFFFFL;
    }

    boolean hasRtx() { return rtxSsrc >= 0; }

    public long ssrc() { return ssrc; }
    public long rtxSsrc() { return rtxSsrc; }
    public IncomingStream source() { return source; }
    public SimulcastSource simulcast() { return simulcast; }
    public LayerSelector selector() { return selector; }

    /** Asks for a keyframe of what this leg forwards (for a simulcast leg: its current layer). */
    void requestKeyframe() {
        if (source != null) {
            source.requestKeyframe();
            return;
        }
        int layer = selector.currentSpatial() >= 0 ? selector.currentSpatial() : selector.targetSpatial();
        IncomingStream s = layer >= 0 && layer < simulcast.layers.length ? simulcast.layers[layer] : null;
        if (s != null) {
            s.requestKeyframe();
        }
    }

    /** The RTP timestamp this leg's stream has at {@code nowNanos}, for sender reports. */
    long extrapolatedTimestamp(long nowNanos) {
        if (source != null) {
            return rewriteTimestamp(source.extrapolatedRtpTimestamp(nowNanos));
        }
        long elapsed = (nowNanos - lastSentNanos) / 1000 * clockRate / 1_000_000L;
        return (lastSentRtpTimestamp + elapsed) & 0xFFFFFFFFL;
    }
    public long packetsSent() { return packetsSent; }
    public long retransmissions() { return retransmissions; }
    public long nacksReceived() { return nacksReceived; }
    public long keyframeRequestsReceived() { return keyframeRequestsReceived; }
    public long rttMillis() { return rttMillis; }
}

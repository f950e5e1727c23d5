package org.medibridge.router;

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
    final IncomingStream source;
    final long ssrc;
    final int payloadType;
    /** Incoming header extension id → outgoing id; 0 erases the element. */
    final byte[] extensionIdMap;
    final int absSendTimeId;
    final int transportCcId;
    final SequenceRewriter sequence = new SequenceRewriter();
    final RetransmissionCache cache;

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

    OutgoingStream(MediaEndpoint subscriber, IncomingStream source, long ssrc, int payloadType,
                   HeaderExtensionIds outIds, int firstSequence, long timestampOffset) {
        this.subscriber = subscriber;
        this.source = source;
        this.ssrc = ssrc;
        this.payloadType = payloadType;
        this.extensionIdMap = source.publisher.extensionIds.translationTo(outIds);
        this.absSendTimeId = outIds.absSendTime();
        this.transportCcId = outIds.transportCc();
        this.firstSequence = firstSequence;
        this.timestampOffset = timestampOffset;
        this.waitingForKeyframe = source.kind == MediaKind.VIDEO;
        this.cache = source.kind == MediaKind.VIDEO
                ? new RetransmissionCache(VIDEO_CACHE_PACKETS, org.medibridge.buffer.PacketPool.MAX_DATAGRAM, CACHE_MAX_AGE_MILLIS)
                : null;
    }

    long rewriteTimestamp(long inTimestamp) {
        return (inTimestamp + timestampOffset) & 0xFFFFFFFFL;
    }

    public long ssrc() { return ssrc; }
    public IncomingStream source() { return source; }
    public long packetsSent() { return packetsSent; }
    public long retransmissions() { return retransmissions; }
    public long nacksReceived() { return nacksReceived; }
    public long keyframeRequestsReceived() { return keyframeRequestsReceived; }
    public long rttMillis() { return rttMillis; }
}

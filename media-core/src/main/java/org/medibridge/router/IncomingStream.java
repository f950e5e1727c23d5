package org.medibridge.router;

import java.util.Arrays;

/**
 * One RTP stream a publisher sends (one SSRC of one track), with the legs it is forwarded on.
 * Owned by the room's worker thread.
 */
public final class IncomingStream {
    /** A keyframe request goes to the publisher at most this often (RFC 4585 §3.5 spirit). */
    static final long KEYFRAME_REQUEST_INTERVAL_NANOS = 300_000_000L;

    final MediaEndpoint publisher;
    final String trackId;
    final MediaKind kind;
    final long ssrc;
    final int payloadType;
    final int clockRate;
    final ReceiveStatistics stats = new ReceiveStatistics();

    OutgoingStream[] legs = new OutgoingStream[0];
    /** The simulcast track this stream is a layer of, or null for a plain stream. */
    SimulcastSource simulcast;
    /** Layer index within {@link #simulcast} (0 = lowest). */
    int layerIndex;

    /** Recorders and other taps; usually empty. */
    MediaTap[] taps = new MediaTap[0];

    /** Last sender report of the publisher: its RTP timestamp and when it arrived here. */
    boolean haveSenderReport;
    long srRtpTimestamp;
    long srArrivalNanos;
    /** Middle 32 bits of the SR's NTP timestamp, echoed as LSR in our receiver reports. */
    long srCompactNtp;

    /** Latest RTP timestamp received and when, to extrapolate when no SR arrived yet. */
    long lastRtpTimestamp;
    long lastRtpArrivalNanos;

    /** Not forwarded while paused (moderator mute); legs keep continuous sequence numbers. */
    boolean paused;

    /**
     * Loss repair (RFC 4585 §6.2.1, RFC 4588): set by {@link MediaRoom#setRepair}. The RTX stream
     * that repairs this one ({@code -1}: none), and whether the publisher takes NACKs.
     */
    long rtxSsrc = -1;
    int rtxPayloadType = -1;
    boolean nackEnabled;
    /** Missing packets and when to ask for them; null until repair is set up (and for audio). */
    NackGenerator nack;
    /** RTX packets that repaired a loss, that repeated a packet we had (probing), that were padding. */
    long rtxRecovered;
    long rtxRedundant;
    long rtxPadding;

    boolean keyframeRequestPending;
    long lastKeyframeRequestNanos = Long.MIN_VALUE / 2;
    long keyframeRequestsSent;

    IncomingStream(MediaEndpoint publisher, String trackId, MediaKind kind, long ssrc, int payloadType, int clockRate) {
        this.publisher = publisher;
        this.trackId = trackId;
        this.kind = kind;
        this.ssrc = ssrc;
        this.payloadType = payloadType;
        this.clockRate = clockRate;
    }

    void addLeg(OutgoingStream leg) {
        legs = Arrays.copyOf(legs, legs.length + 1);
        legs[legs.length - 1] = leg;
    }

    void removeLeg(OutgoingStream leg) {
        OutgoingStream[] next = new OutgoingStream[Math.max(0, legs.length - 1)];
        int j = 0;
        for (OutgoingStream l : legs) {
            if (l != leg && j < next.length) {
                next[j++] = l;
            }
        }
        legs = j == next.length ? next : Arrays.copyOf(next, j);
    }

    /** Asks for a keyframe; the worker's tick sends it once the throttle allows. */
    void requestKeyframe() {
        if (kind == MediaKind.VIDEO) {
            keyframeRequestPending = true;
        }
    }

    /** The publisher's RTP timestamp that corresponds to {@code nowNanos}, extrapolated. */
    long extrapolatedRtpTimestamp(long nowNanos) {
        long baseTs = haveSenderReport ? srRtpTimestamp : lastRtpTimestamp;
        long baseNanos = haveSenderReport ? srArrivalNanos : lastRtpArrivalNanos;
        long elapsedUnits = (nowNanos - baseNanos) / 1000 * clockRate / 1_000_000L;
        return (baseTs + elapsedUnits) & 0xFFFFFFFFL;
    }

    public boolean isPaused() { return paused; }
    public SimulcastSource simulcast() { return simulcast; }
    public int layerIndex() { return layerIndex; }
    public String trackId() { return trackId; }
    public int clockRate() { return clockRate; }
    public int payloadType() { return payloadType; }
    public MediaKind kind() { return kind; }
    public long ssrc() { return ssrc; }
    public long packetsReceived() { return stats.received(); }
    public long keyframeRequestsSent() { return keyframeRequestsSent; }
    public long rtxSsrc() { return rtxSsrc; }
    /** Sequence numbers requested from the publisher by NACK (each request counted). */
    public long nacksSent() { return nack == null ? 0 : nack.nacksSent(); }
    /** Missing packets repaired by RTX. */
    public long recovered() { return nack == null ? 0 : nack.recovered(); }
    /** Missing packets no longer asked for (too old, too many requests, or a key frame came after). */
    public long givenUp() { return nack == null ? 0 : nack.givenUp(); }
    public long rtxRedundant() { return rtxRedundant; }
    public long rtxPadding() { return rtxPadding; }
}

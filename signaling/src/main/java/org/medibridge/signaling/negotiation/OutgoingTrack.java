package org.medibridge.signaling.negotiation;

import java.util.Objects;
import org.medibridge.sdp.MediaKind;

/**
 * One m-line of a subscriber offer. The caller keeps the list of these in m-line order for the
 * life of the connection: entries are never removed or reordered, only appended or deactivated.
 *
 * @param mid    unique within the connection and never reused
 * @param active false once the track ended: the m-line is then rejected (port 0)
 * @param ssrc    the SSRC the server sends this track with
 * @param rtxSsrc video: the SSRC of its RTX stream (RFC 4588), offered as {@code a=ssrc-group:FID};
 *                -1 for none (audio, the anchor)
 */
public record OutgoingTrack(String mid, MediaKind kind, boolean active, long ssrc, String cname, String streamId,
                            String trackId, long rtxSsrc) {
    /** A track without an RTX stream. */
    public OutgoingTrack(String mid, MediaKind kind, boolean active, long ssrc, String cname, String streamId,
                         String trackId) {
        this(mid, kind, active, ssrc, cname, streamId, trackId, -1);
    }

    public OutgoingTrack {
        if (rtxSsrc >= 0 && (kind != MediaKind.VIDEO || rtxSsrc == ssrc)) {
            throw new IllegalArgumentException("an RTX SSRC belongs to a video track and differs from its SSRC");
        }
        Objects.requireNonNull(mid, "mid");
        Objects.requireNonNull(kind, "kind");
        if (kind == MediaKind.APPLICATION) {
            throw new IllegalArgumentException("a subscriber track is audio or video");
        }
        if (active) {
            Objects.requireNonNull(cname, "cname");
            Objects.requireNonNull(streamId, "streamId");
            Objects.requireNonNull(trackId, "trackId");
        }
    }

    /**
     * The subscriber connection's first m-line: {@code a=inactive}, carrying nothing, never
     * rejected. It keeps the BUNDLE tag (JSEP §5.2.1) and the transport alive however tracks come
     * and go: browsers close the bundle transport when the tagged m-line or every m-line is
     * rejected.
     */
    public static OutgoingTrack anchor(String mid) {
        return new OutgoingTrack(mid, MediaKind.AUDIO, true, -1, "-", "-", "-");
    }

    /** Whether this is the {@link #anchor}. */
    public boolean isAnchor() {
        return ssrc < 0;
    }

    /** The same track, ended: its m-line is rejected in the next offer. */
    public OutgoingTrack deactivated() {
        return new OutgoingTrack(mid, kind, false, ssrc, cname, streamId, trackId, rtxSsrc);
    }

    /** Whether the offer pairs an RTX stream with this track. */
    public boolean hasRtx() {
        return rtxSsrc >= 0;
    }
}

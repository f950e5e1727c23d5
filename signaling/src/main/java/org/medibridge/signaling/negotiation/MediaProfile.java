package org.medibridge.signaling.negotiation;

import java.util.List;
import org.medibridge.rtp.RtpHeaderExtensionUris;
import org.medibridge.sdp.Connection;
import org.medibridge.sdp.Origin;

/** What the server negotiates on both legs: one RTP profile, two codecs, four header extensions. */
final class MediaProfile {
    /** RFC 5764 / JSEP: DTLS-SRTP with RTCP feedback over UDP; nothing else is accepted. */
    static final String PROTO = "UDP/TLS/RTP/SAVPF";
    static final String OPUS = "opus";
    static final String VP8 = "VP8";
    /** JSEP §5.2.1: with ICE the m= port and c= address are dummies. */
    static final int DUMMY_PORT = 9;
    /** Opus fmtp parameters echoed from the publisher's offer. */
    static final List<String> OPUS_ANSWER_FMTP = List.of("minptime", "useinbandfec");
    /**
     * VP8 feedback the server handles. Not transport-cc yet: until the server sends transport-cc
     * feedback the browser must estimate bandwidth from REMB, and offering both makes Chrome
     * ignore REMB.
     */
    /**
     * transport-cc: the server sends transport-wide feedback (draft-holmer-rmcat-transport-wide-cc),
     * so the browser's own send-side estimation works and it keeps every simulcast layer going.
     */
    static final List<String> VP8_PUBLISHER_FEEDBACK = List.of("nack", "nack pli", "ccm fir", "goog-remb", "transport-cc");
    /**
     * Starting bitrate in kbit/s for Chrome's VP8 sender: without it a 720p camera starts at
     * 320×180 and takes 20-25 s to ramp up; with it 720p is reached within seconds.
     */
    static final String VP8_START_BITRATE = "1500";
    static final List<String> HEADER_EXTENSIONS = List.of(RtpHeaderExtensionUris.MID,
            RtpHeaderExtensionUris.AUDIO_LEVEL, RtpHeaderExtensionUris.ABS_SEND_TIME,
            RtpHeaderExtensionUris.TRANSPORT_CC, RtpHeaderExtensionUris.RTP_STREAM_ID,
            RtpHeaderExtensionUris.REPAIRED_RTP_STREAM_ID);

    /** At most this many simulcast encodings are received per video track (low, mid, high). */
    static final int MAX_SIMULCAST_LAYERS = 3;

    private MediaProfile() {
    }

    static Origin origin(LocalTransportParameters local, long sessionVersion) {
        return new Origin("-", Long.toString(local.sessionId()), sessionVersion, "IN", "IP4", "127.0.0.1");
    }

    static Connection dummyConnection() {
        return Connection.IN_IP4_ANY;
    }
}

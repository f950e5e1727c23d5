package org.medibridge.rtp;

/** URIs of the RTP header extensions the SFU negotiates ({@code a=extmap}, RFC 8285 §5). */
public final class RtpHeaderExtensionUris {
    private RtpHeaderExtensionUris() {
    }

    /** RFC 8843 §15: BUNDLE media identification. */
    public static final String MID = "urn:ietf:params:rtp-hdrext:sdes:mid";
    /** RFC 6464: client-to-mixer audio level. */
    public static final String AUDIO_LEVEL = "urn:ietf:params:rtp-hdrext:ssrc-audio-level";
    /** Send time for REMB-based estimation, 6.18 fixed point seconds. */
    public static final String ABS_SEND_TIME = "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time";
    /** draft-holmer-rmcat-transport-wide-cc-extensions-01: a 16-bit transport-wide sequence number. */
    public static final String TRANSPORT_CC = "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";
    /** RFC 8852: simulcast RID. */
    public static final String RTP_STREAM_ID = "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id";
    /** RFC 8852: RID of the stream an RTX stream repairs. */
    public static final String REPAIRED_RTP_STREAM_ID = "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id";
}

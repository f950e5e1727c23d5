package org.medibridge.signaling.negotiation;

/**
 * Fixed RTP parameters of every subscriber offer: the payload types and header extension ids the
 * server rewrites forwarded packets to. The extension ids are those Chromium offers by default, so
 * packets from a Chromium publisher need no id rewrite.
 */
public final class SubscriberRtpParameters {
    public static final int OPUS_PAYLOAD_TYPE = 111;
    public static final int VP8_PAYLOAD_TYPE = 96;
    /** RFC 4588 retransmissions of VP8 ({@code a=fmtp:97 apt=96}); probe padding rides on it too. */
    public static final int RTX_PAYLOAD_TYPE = 97;
    static final String RTX_ENCODING = "rtx";

    /** {@code urn:ietf:params:rtp-hdrext:ssrc-audio-level}, audio m-lines only. */
    public static final int AUDIO_LEVEL_ID = 1;
    public static final int ABS_SEND_TIME_ID = 2;
    public static final int TRANSPORT_CC_ID = 3;
    /**
     * Negotiated so that the browser could demux by mid, but the server zeroes the mid extension on
     * this leg: the browser demuxes by the a=ssrc lines of the offer.
     */
    public static final int MID_ID = 4;

    private SubscriberRtpParameters() {
    }
}

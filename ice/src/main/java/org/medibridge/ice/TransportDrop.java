package org.medibridge.ice;

/** Why a {@link WebRtcTransport} dropped a received datagram. */
public enum TransportDrop {
    /** RTP/RTCP before DTLS produced keys: nothing could decrypt it. */
    SRTP_NOT_READY,
    /** A DTLS record before the remote SDP (and so the DTLS role) was known. */
    DTLS_BEFORE_START,
    /** TURN ChannelData: we are not a TURN server (RFC 7983 first byte 64–79). */
    TURN_CHANNEL,
    /** A first byte no protocol on this socket uses, or too short. */
    UNKNOWN,
    /** STUN reaching the payload path (ice4j normally keeps it). */
    STUN,
    /** Arrived after the transport closed. */
    CLOSED
}

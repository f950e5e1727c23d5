package org.medibridge.demux;

/** What one datagram on the shared ICE/DTLS/SRTP socket carries (RFC 7983 §7). */
public enum DatagramKind {
    /** STUN (RFC 8489): ICE connectivity and consent checks. ice4j consumes these itself. */
    STUN,
    /** A DTLS record (RFC 6347). */
    DTLS,
    /** TURN ChannelData (RFC 8656 §12.4); we are never a TURN server, so these are dropped. */
    TURN_CHANNEL,
    /** (S)RTP (RFC 3550, RFC 3711). */
    RTP,
    /** (S)RTCP multiplexed on the RTP port (RFC 5761). */
    RTCP,
    /** Too short, or a first byte no protocol on this socket may use. */
    UNKNOWN
}

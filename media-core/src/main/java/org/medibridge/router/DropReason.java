package org.medibridge.router;

/** Why the media path dropped a packet. Every drop is counted under exactly one reason. */
public enum DropReason {
    /** The room's worker queue was full: the worker fell behind. */
    WORKER_QUEUE_FULL,
    /** Media arrived before DTLS produced SRTP keys. */
    SRTP_NOT_READY,
    /** SRTP/SRTCP authentication failed (tampered, wrong key, garbage). */
    SRTP_AUTH_FAILED,
    /** SRTP replay protection rejected the packet. */
    SRTP_REPLAY,
    /** jitsi-srtp could not process the packet for another reason. */
    SRTP_FAILED,
    /** Not a well-formed RTP packet after decryption. */
    RTP_MALFORMED,
    /** Not a well-formed RTCP compound packet after decryption. */
    RTCP_MALFORMED,
    /** RTP from an SSRC the publisher never announced. */
    UNKNOWN_SSRC,
    /** RTP on a subscriber connection (subscribers only receive). */
    RTP_ON_SUBSCRIBER,
    /** A payload type the stream did not negotiate. */
    UNKNOWN_PAYLOAD_TYPE,
    /** The endpoint is closed. */
    ENDPOINT_CLOSED,
    /** The subscriber's SRTP is not ready yet, so its copy of a packet cannot be sent. */
    SUBSCRIBER_NOT_READY,
    /** The packet was too large to protect within the buffer. */
    TOO_LARGE,
    /** The stream is paused: a moderator muted it, or its owner is not admitted. */
    PAUSED,
    /** A duplicate or too-old packet (sequence number far behind). */
    STALE,
    /**
     * An RTX packet without an original packet (RFC 4588 §4): padding, which Chrome sends on the
     * RTX stream to probe bandwidth. Still counted for transport-wide feedback.
     */
    RTX_PADDING,
    /**
     * An RTX packet repeating a packet that was not missing: already received, given up on, or
     * sent as a redundant-payload probe.
     */
    RTX_REDUNDANT,
    /** An RTX packet naming (repaired-rtp-stream-id) a simulcast layer whose stream is not known yet. */
    RTX_UNKNOWN,
    /**
     * A NACKed packet not resent because it was resent less than a round trip ago: the receiver
     * NACKs again before the first copy could have arrived (libwebrtc does the same).
     */
    RETRANSMIT_TOO_SOON,
    /**
     * A NACKed packet not resent because its leg is stepping down to a lower simulcast layer for
     * lack of bandwidth: the link cannot carry the current layer, the repaired frames are about to
     * be replaced by the lower layer's key frame, and resending them only delays that key frame in
     * the congested queue.
     */
    RETRANSMIT_DURING_DOWN_SWITCH;

    private static final DropReason[] VALUES = values();

    static DropReason of(int ordinal) {
        return VALUES[ordinal];
    }
}

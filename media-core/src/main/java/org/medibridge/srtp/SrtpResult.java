package org.medibridge.srtp;

import org.jitsi.srtp.SrtpErrorStatus;

/** Outcome of one SRTP/SRTCP transform; everything but {@link #OK} is a drop reason. */
public enum SrtpResult {
    OK,
    /** The authentication tag did not match (wrong key, tampering, or not our stream). */
    AUTH_FAILED,
    /** Already received, or older than the replay window (RFC 3711 §3.3.2). */
    REPLAY,
    /** Too short or otherwise not an SRTP/SRTCP packet. */
    INVALID,
    /** Anything else: a crypto provider error, or the session's SSRC limit was reached. */
    FAILED;

    static SrtpResult of(SrtpErrorStatus status) {
        switch (status) {
            case OK:
                return OK;
            case AUTH_FAIL:
                return AUTH_FAILED;
            case REPLAY_FAIL:
            case REPLAY_OLD:
                return REPLAY;
            case INVALID_PACKET:
                return INVALID;
            default:
                return FAILED;
        }
    }
}

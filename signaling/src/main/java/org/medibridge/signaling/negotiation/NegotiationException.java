package org.medibridge.signaling.negotiation;

import java.util.Objects;

/**
 * A remote description the server cannot negotiate. {@link #code()} is stable and goes to the
 * browser as the signaling {@code error} code (docs/protocol.md); the message is for humans.
 */
public final class NegotiationException extends Exception {
    private static final long serialVersionUID = 1L;

    /** The SDP does not parse. */
    public static final String SDP_INVALID = "sdp_invalid";
    /** No BUNDLE group covers all accepted m-lines (we only do max-bundle, RFC 8843). */
    public static final String SDP_NO_BUNDLE = "sdp_no_bundle";
    /** An accepted m-line lacks a=rtcp-mux (RFC 5761; we only do rtcpMuxPolicy require). */
    public static final String SDP_NO_RTCP_MUX = "sdp_no_rtcp_mux";
    /** An audio m-line without Opus or a video m-line without VP8. */
    public static final String SDP_NO_COMMON_CODEC = "sdp_no_common_codec";
    /** No a=ice-ufrag / a=ice-pwd for the BUNDLE transport. */
    public static final String SDP_MISSING_ICE = "sdp_missing_ice";
    /** No a=fingerprint for the BUNDLE transport. */
    public static final String SDP_MISSING_FINGERPRINT = "sdp_missing_fingerprint";
    /** Well-formed but outside what the server does (profile, DTLS role, nothing to publish, ...). */
    public static final String SDP_UNSUPPORTED = "sdp_unsupported";

    private final String code;

    public NegotiationException(String code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
    }

    public NegotiationException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    public String code() {
        return code;
    }

    @Override
    public String toString() {
        return code + ": " + getMessage();
    }
}

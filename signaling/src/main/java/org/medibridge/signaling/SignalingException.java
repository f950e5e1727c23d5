package org.medibridge.signaling;

/**
 * A request the server refuses, with a stable {@code code} (see docs/protocol.md) and a message
 * for people. Never carries secrets or tokens.
 */
public final class SignalingException extends RuntimeException {
    private final String code;

    public SignalingException(String code, String message) {
        super(message);
        this.code = code;
    }

    public String code() {
        return code;
    }
}

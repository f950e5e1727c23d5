package org.medibridge.signaling.api;

/**
 * A refused API request: HTTP {@code status}, stable {@code code} (docs/api.md) and a message for
 * people. Never carries the API key or tokens.
 */
public final class ApiException extends RuntimeException {
    private final int status;
    private final String code;

    public ApiException(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}

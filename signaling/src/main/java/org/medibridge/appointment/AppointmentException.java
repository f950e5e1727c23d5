package org.medibridge.appointment;

/**
 * A refused appointment request: an HTTP {@code status} (400, 404, 409, 413 or 422), a stable
 * {@code code} (docs/api.md) and a message for people. Never carries keys or tokens.
 */
public final class AppointmentException extends RuntimeException {
    private final int status;
    private final String code;

    public AppointmentException(int status, String code, String message) {
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

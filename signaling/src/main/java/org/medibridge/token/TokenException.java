package org.medibridge.token;

/**
 * A refused join token. {@code code} is stable (docs/protocol.md); the message is for people and
 * never contains the token.
 */
public final class TokenException extends Exception {
    public static final String BAD_SIGNATURE = "token_bad_signature";
    public static final String EXPIRED = "token_expired";
    public static final String NOT_YET_VALID = "token_not_yet_valid";
    public static final String WRONG_ROOM = "token_wrong_room";
    public static final String REMOVED = "token_removed";
    public static final String UNKNOWN_ROLE = "token_unknown_role";
    public static final String MISSING_CLAIM = "token_missing_claim";
    public static final String MALFORMED = "token_malformed";
    /** The token is fine but its appointment was cancelled ({@link JoinTokenPolicy}). */
    public static final String APPOINTMENT_CANCELLED = "appointment_cancelled";
    /** The token is fine but its appointment was ended by the doctor ({@link JoinTokenPolicy}). */
    public static final String APPOINTMENT_ENDED = "appointment_ended";

    private final String code;

    public TokenException(String code, String message) {
        super(message);
        this.code = code;
    }

    public String code() {
        return code;
    }
}

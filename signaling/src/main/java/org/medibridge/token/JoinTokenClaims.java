package org.medibridge.token;

import com.nimbusds.jwt.JWTClaimsSet;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.medibridge.appointment.Role;

/**
 * The claims of a join token whose signature has been verified: presence, role, then time. Names
 * are the JWT claim names (RFC 7519 section 4.1 for sub, nbf, exp; room, name, role are ours).
 */
final class JoinTokenClaims {
    static final String ROOM = "room";
    static final String NAME = "name";
    static final String ROLE = "role";

    private JoinTokenClaims() {
    }

    static JoinClaims check(JWTClaimsSet claims, Instant now, Duration skew) throws TokenException {
        String room = requiredString(claims, ROOM);
        String participantId = requiredString(claims, "sub");
        String name = requiredString(claims, NAME);
        String roleName = requiredString(claims, ROLE);
        Instant notBefore = requiredTime(claims.getNotBeforeTime(), "nbf");
        Instant expiresAt = requiredTime(claims.getExpirationTime(), "exp");
        Role role = Role.fromWire(roleName).orElseThrow(() -> new TokenException(TokenException.UNKNOWN_ROLE,
                "The join link's role is not 'doctor' or 'patient'."));
        // RFC 7519 4.1.5: must not be accepted before nbf; 4.1.4: must not be accepted on or after exp.
        if (now.plus(skew).isBefore(notBefore)) {
            throw new TokenException(TokenException.NOT_YET_VALID,
                    "This visit has not opened yet. You can join from " + notBefore + ".");
        }
        if (!now.minus(skew).isBefore(expiresAt)) {
            throw new TokenException(TokenException.EXPIRED,
                    "This join link expired at " + expiresAt + ".");
        }
        return new JoinClaims(room, participantId, name, role, notBefore, expiresAt);
    }

    private static String requiredString(JWTClaimsSet claims, String claim) throws TokenException {
        String value;
        try {
            value = claims.getStringClaim(claim);
        } catch (ParseException e) {
            throw new TokenException(TokenException.MALFORMED, "The join token's claim '" + claim + "' is not a string.");
        }
        if (value == null || value.isBlank()) {
            throw missing(claim);
        }
        return value;
    }

    private static Instant requiredTime(Date date, String claim) throws TokenException {
        if (date == null) {
            throw missing(claim);
        }
        return date.toInstant();
    }

    private static TokenException missing(String claim) {
        return new TokenException(TokenException.MISSING_CLAIM, "The join token has no '" + claim + "' claim.");
    }
}

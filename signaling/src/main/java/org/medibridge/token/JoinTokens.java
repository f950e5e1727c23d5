package org.medibridge.token;

import java.time.Instant;
import org.medibridge.appointment.Appointment;
import org.medibridge.appointment.Person;

/**
 * Mints and verifies join tokens (JWT, RFC 7519) with nimbus-jose-jwt — never hand-parsed.
 * HS256 with the server's secret ({@code MEDIBRIDGE_JWT_SECRET}); ES256 with a configured public
 * key, so a booking system can mint its own. Thread-safe.
 */
public interface JoinTokens {
    /**
     * A token for {@code person} in {@code appointment}: not-before = the appointment's join
     * window start, expiry = its close (end + grace). HS256.
     */
    String mint(Appointment appointment, Person person);

    /**
     * Verifies signature, claims and time at {@code now}. It does not know appointments: the
     * caller checks that the room matches and the participant was not removed (and uses
     * {@link TokenException#WRONG_ROOM} / {@link TokenException#REMOVED}).
     */
    JoinClaims verify(String token, Instant now) throws TokenException;
}

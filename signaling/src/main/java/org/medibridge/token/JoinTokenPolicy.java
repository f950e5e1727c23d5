package org.medibridge.token;

import java.util.Optional;
import org.medibridge.appointment.Appointment;
import org.medibridge.appointment.Person;

/**
 * What the room side checks at join, after {@link JoinTokens#verify} accepted the token: that it
 * belongs to the appointment being joined and that this person may still enter it. Pure: no
 * clock, no store; the caller looks the appointment and the removal up.
 */
public final class JoinTokenPolicy {
    private JoinTokenPolicy() {
    }

    /**
     * Checks, in order: the token's room is {@code requestedRoom} and that appointment exists
     * ({@link TokenException#WRONG_ROOM}); it is not cancelled ({@link TokenException#APPOINTMENT_CANCELLED})
     * or ended ({@link TokenException#APPOINTMENT_ENDED}); it books this participant id with this
     * role ({@link TokenException#WRONG_ROOM}); the participant was not removed
     * ({@link TokenException#REMOVED}).
     *
     * @param requestedRoom the room (appointment id) the client asked to join
     * @param appointment the appointment {@code requestedRoom} names, empty when unknown
     * @param removed whether the doctor removed this participant from this appointment
     * @return the appointment's record of the participant (its name wins over the token's)
     */
    public static Person check(JoinClaims claims, String requestedRoom, Optional<Appointment> appointment,
                               boolean removed) throws TokenException {
        if (!claims.room().equals(requestedRoom)) {
            throw new TokenException(TokenException.WRONG_ROOM, "This join link is for another appointment.");
        }
        Appointment a = appointment.filter(x -> x.id().equals(claims.room())).orElseThrow(
                () -> new TokenException(TokenException.WRONG_ROOM, "This appointment does not exist on this server."));
        if (a.status() == Appointment.Status.CANCELLED) {
            throw new TokenException(TokenException.APPOINTMENT_CANCELLED, "This appointment was cancelled.");
        }
        if (a.status() == Appointment.Status.ENDED) {
            throw new TokenException(TokenException.APPOINTMENT_ENDED, "This visit has ended.");
        }
        Person person = a.participant(claims.participantId()).filter(p -> p.role() == claims.role()).orElseThrow(
                () -> new TokenException(TokenException.WRONG_ROOM, "This join link is not for a participant of this appointment."));
        if (removed) {
            throw new TokenException(TokenException.REMOVED, "You were removed from this visit and cannot rejoin.");
        }
        return person;
    }
}

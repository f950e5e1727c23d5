package org.medibridge.appointment;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A booked visit. Immutable; the store replaces it when its status changes.
 *
 * @param id the room id too (1-64 of [A-Za-z0-9_.-])
 * @param participants the doctor first, then the patients
 * @param earlyJoin how long before {@code start} people may join
 * @param grace how long after {@code end} the room stays open
 * @param waitingRoom whether patients wait until the doctor admits them
 */
public record Appointment(String id, Instant start, Instant end, List<Person> participants,
                          Duration earlyJoin, Duration grace, boolean waitingRoom,
                          Status status, Instant createdAt) {

    public enum Status { SCHEDULED, CANCELLED, ENDED }

    public Appointment {
        participants = List.copyOf(participants);
    }

    /** First instant anyone may join. */
    public Instant joinFrom() {
        return start.minus(earlyJoin);
    }

    /** The room closes at this instant. */
    public Instant closesAt() {
        return end.plus(grace);
    }

    public Optional<Person> participant(String participantId) {
        return participants.stream().filter(p -> p.id().equals(participantId)).findFirst();
    }

    public Person doctor() {
        return participants.stream().filter(p -> p.role() == Role.DOCTOR).findFirst().orElseThrow();
    }

    public Appointment withStatus(Status s) {
        return new Appointment(id, start, end, participants, earlyJoin, grace, waitingRoom, s, createdAt);
    }
}

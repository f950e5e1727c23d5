package org.medibridge.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.medibridge.token.TokenFixtures.*;

import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.medibridge.appointment.Appointment;
import org.medibridge.appointment.Role;

/** The checks at join that need the appointment: room, status, booking, removal. */
class JoinTokenPolicyTest {
    private static final JoinClaims PATIENT_CLAIMS = new JoinClaims("visit-42", "pt-1", "Ada (from token)", Role.PATIENT, NBF, EXP);

    static Stream<Arguments> refusals() {
        Appointment other = new Appointment("visit-43", VISIT.start(), VISIT.end(), VISIT.participants(),
                VISIT.earlyJoin(), VISIT.grace(), true, Appointment.Status.SCHEDULED, VISIT.createdAt());
        return Stream.of(
                Arguments.of("token for A used to join B", PATIENT_CLAIMS, "visit-43", Optional.of(other), false,
                        TokenException.WRONG_ROOM),
                Arguments.of("appointment unknown", PATIENT_CLAIMS, "visit-42", Optional.empty(), false,
                        TokenException.WRONG_ROOM),
                Arguments.of("store answered another appointment", PATIENT_CLAIMS, "visit-42", Optional.of(other), false,
                        TokenException.WRONG_ROOM),
                Arguments.of("participant not booked", withParticipant("pt-9", Role.PATIENT), "visit-42", Optional.of(VISIT),
                        false, TokenException.WRONG_ROOM),
                Arguments.of("patient claiming to be the doctor", withParticipant("pt-1", Role.DOCTOR), "visit-42",
                        Optional.of(VISIT), false, TokenException.WRONG_ROOM),
                Arguments.of("removed", PATIENT_CLAIMS, "visit-42", Optional.of(VISIT), true, TokenException.REMOVED),
                Arguments.of("cancelled", PATIENT_CLAIMS, "visit-42",
                        Optional.of(VISIT.withStatus(Appointment.Status.CANCELLED)), false, TokenException.APPOINTMENT_CANCELLED),
                Arguments.of("ended", PATIENT_CLAIMS, "visit-42",
                        Optional.of(VISIT.withStatus(Appointment.Status.ENDED)), true, TokenException.APPOINTMENT_ENDED));
    }

    @ParameterizedTest(name = "{0} -> {5}")
    @MethodSource("refusals")
    void refused(String description, JoinClaims claims, String requestedRoom, Optional<Appointment> appointment,
                 boolean removed, String code) {
        TokenException e = catchThrowableOfType(TokenException.class,
                () -> JoinTokenPolicy.check(claims, requestedRoom, appointment, removed));
        assertThat(e).as(description).isNotNull();
        assertThat(e.code()).as(description).isEqualTo(code);
    }

    @Test
    void bookedParticipantIsLetInWithTheAppointmentsRecord() throws Exception {
        assertThat(JoinTokenPolicy.check(PATIENT_CLAIMS, "visit-42", Optional.of(VISIT), false)).isEqualTo(PATIENT);
    }

    @Test
    void codesAreTheDocumentedStrings() {
        assertThat(TokenException.APPOINTMENT_CANCELLED).isEqualTo("appointment_cancelled");
        assertThat(TokenException.APPOINTMENT_ENDED).isEqualTo("appointment_ended");
    }

    private static JoinClaims withParticipant(String id, Role role) {
        return new JoinClaims("visit-42", id, "Someone", role, NBF, EXP);
    }
}

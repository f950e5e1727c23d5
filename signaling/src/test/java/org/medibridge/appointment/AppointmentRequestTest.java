package org.medibridge.appointment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.medibridge.appointment.AppointmentBodies.NOW;
import static org.medibridge.appointment.AppointmentBodies.json;
import static org.medibridge.appointment.AppointmentBodies.valid;
import static org.medibridge.appointment.AppointmentBodies.with;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AppointmentRequestTest {

    @Test
    void minimalBodyGetsTheDefaults() {
        AppointmentRequest r = AppointmentRequest.parse(valid(), NOW);
        assertThat(r.id()).isNull();
        assertThat(r.start()).isEqualTo(Instant.parse("2026-11-24T09:00:00Z"));
        assertThat(r.end()).isEqualTo(Instant.parse("2026-11-24T09:30:00Z"));
        assertThat(r.doctor()).isEqualTo(new Person("dr-1", "Dr. Ada Meyer", Role.DOCTOR));
        assertThat(r.patients()).containsExactly(new Person("pat-1", "Jon Smith", Role.PATIENT));
        assertThat(r.earlyJoin()).isEqualTo(Duration.ofMinutes(10));
        assertThat(r.grace()).isEqualTo(Duration.ofMinutes(15));
        assertThat(r.waitingRoom()).isTrue();
    }

    @Test
    void everyFieldGiven() {
        ObjectNode b = valid();
        b.put("id", "visit_2026-11-24.A");
        b.put("earlyJoinMinutes", 0);
        b.put("graceMinutes", 120);
        b.put("waitingRoom", false);
        AppointmentRequest r = AppointmentRequest.parse(b, NOW);
        assertThat(r.id()).isEqualTo("visit_2026-11-24.A");
        assertThat(r.earlyJoin()).isZero();
        assertThat(r.grace()).isEqualTo(Duration.ofHours(2));
        assertThat(r.waitingRoom()).isFalse();
    }

    @Test
    void nullOptionalsMeanDefaults() {
        AppointmentRequest r = AppointmentRequest.parse(json(
                with("earlyJoinMinutes", "null").replace("}]}", "}],\"graceMinutes\":null,\"id\":null}")), NOW);
        assertThat(r.earlyJoin()).isEqualTo(Duration.ofMinutes(10));
        assertThat(r.grace()).isEqualTo(Duration.ofMinutes(15));
        assertThat(r.id()).isNull();
    }

    @Test
    void offsetsAreConvertedToInstants() {
        ObjectNode b = valid();
        b.put("start", "2026-11-24T10:00:00+01:00");
        b.put("end", "2026-11-24T04:30-05:00");
        AppointmentRequest r = AppointmentRequest.parse(b, NOW);
        assertThat(r.start()).isEqualTo(Instant.parse("2026-11-24T09:00:00Z"));
        assertThat(r.end()).isEqualTo(Instant.parse("2026-11-24T09:30:00Z"));
    }

    @Test
    void limitsThemselvesAreAccepted() {
        ObjectNode b = valid();
        b.put("end", "2026-11-24T21:00:00Z"); // exactly 12 h
        StringBuilder ps = new StringBuilder("[");
        for (int i = 0; i < AppointmentRequest.MAX_PATIENTS; i++) {
            ps.append(i == 0 ? "" : ",").append("{\"id\":\"p").append(i).append("\",\"name\":\"P\"}");
        }
        b.set("patients", json(ps + "]"));
        b.put("id", "a".repeat(64));
        // 64 code points, half of them outside the BMP (two chars each), and a ZWNJ as Persian names need.
        String name = "\uD83D\uDE00".repeat(32);
        ((ObjectNode) b.get("doctor")).put("name", name);
        AppointmentRequest r = AppointmentRequest.parse(b, NOW);
        assertThat(r.patients()).hasSize(8);
        assertThat(r.doctor().name()).isEqualTo(name);
        ((ObjectNode) b.get("doctor")).put("name", "مهر\u200Cناز");
        assertThat(AppointmentRequest.parse(b, NOW).doctor().name()).isEqualTo("مهر\u200Cناز");
    }

    @Test
    void namesAreTrimmed() {
        ObjectNode b = valid();
        ((ObjectNode) b.get("doctor")).put("name", "  Dr. Ada Meyer ");
        assertThat(AppointmentRequest.parse(b, NOW).doctor().name()).isEqualTo("Dr. Ada Meyer");
    }

    @Test
    void aRunningAppointmentCanStillBeBooked() {
        ObjectNode b = valid();
        b.put("start", "2026-11-20T07:00:00Z");
        b.put("end", "2026-11-20T07:50:00Z"); // ended 10 min ago, grace 15 min: still open
        assertThat(AppointmentRequest.parse(b, NOW).end()).isBefore(NOW);
    }

    @Test
    void toAppointmentPutsTheDoctorFirstAndGeneratesAnId() {
        Appointment a = AppointmentRequest.parse(valid(), NOW).toAppointment(NOW);
        assertThat(a.id()).matches("[0-9a-f]{32}");
        assertThat(a.participants()).extracting(Person::role).containsExactly(Role.DOCTOR, Role.PATIENT);
        assertThat(a.status()).isEqualTo(Appointment.Status.SCHEDULED);
        assertThat(a.createdAt()).isEqualTo(NOW);
        assertThat(a.joinFrom()).isEqualTo(Instant.parse("2026-11-24T08:50:00Z"));
        assertThat(a.closesAt()).isEqualTo(Instant.parse("2026-11-24T09:45:00Z"));
        assertThat(AppointmentRequest.parse(valid(), NOW).toAppointment(NOW).id()).isNotEqualTo(a.id());
    }

    @ParameterizedTest(name = "{0} → {2} {3}")
    @MethodSource("org.medibridge.appointment.AppointmentBodies#bad")
    void badBodiesAreRefusedWithAStableCode(String name, String body, int status, String code) {
        assertThatThrownBy(() -> AppointmentRequest.parse(json(body), NOW))
                .isInstanceOfSatisfying(AppointmentException.class, e -> {
                    assertThat(e.code()).isEqualTo(code);
                    assertThat(e.status()).isEqualTo(status);
                    assertThat(e.getMessage()).isNotBlank();
                });
    }
}

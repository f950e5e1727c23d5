package org.medibridge.signaling.room;

import static org.assertj.core.api.Assertions.assertThat;
import static org.medibridge.signaling.room.RoomKit.json;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.medibridge.appointment.Appointment;
import org.medibridge.appointment.Person;
import org.medibridge.appointment.Role;
import org.medibridge.sdp.SdpParser;
import org.medibridge.token.JwtJoinTokens;

/**
 * The waiting room, moderation, access control and the lifecycle clock of appointment rooms,
 * enforced by the server: real rooms, tokens and SDP; fake transports; a clock the test moves.
 */
class AppointmentRoomTest {
    private static final Instant START = Instant.parse("2026-11-24T09:00:00Z");
    private final JwtJoinTokens tokens = new JwtJoinTokens(
            "a-test-secret-of-at-least-32-bytes!!".getBytes(StandardCharsets.UTF_8), null,
            java.time.Clock.systemUTC());
    private RoomKit kit;
    private Appointment visit;
    private Appointment otherVisit;
    private final Person doctor = new Person("doc-1", "Dr. Grey", Role.DOCTOR);
    private final Person patient = new Person("pat-1", "Pat", Role.PATIENT);
    private final Person patient2 = new Person("pat-2", "Sam", Role.PATIENT);

    @BeforeEach
    void setUp() {
        kit = new RoomKit(START, tokens);
        visit = appointment("visit-a", List.of(doctor, patient, patient2), true);
        otherVisit = appointment("visit-b", List.of(new Person("doc-9", "Dr. Other", Role.DOCTOR), patient), true);
    }

    @AfterEach
    void tearDown() {
        kit.close();
    }

    private Appointment appointment(String id, List<Person> people, boolean waitingRoom) {
        Appointment a = new Appointment(id, START, START.plus(Duration.ofMinutes(30)), people,
                Duration.ofMinutes(10), Duration.ofMinutes(15), waitingRoom, Appointment.Status.SCHEDULED, START);
        assertThat(kit.store.create(a)).isTrue();
        return a;
    }

    private RoomKit.Client join(Appointment a, Person p) throws Exception {
        RoomKit.Client c = kit.client(p.name());
        c.joinWithToken(tokens.mint(a, p));
        return c;
    }

    @Test
    void aPatientWaitsSeesNoOneAndGetsNoMediaUntilTheDoctorAdmitsThem() throws Exception {
        RoomKit.Client pat = join(visit, patient);
        assertThat(pat.last("joined").get("state").asText()).isEqualTo("waiting");
        assertThat(pat.last("waiting").get("doctorPresent").asBoolean()).isFalse();
        pat.publish(); // the publisher connection may be negotiated while waiting ...

        RoomKit.Client doc = join(visit, doctor);
        assertThat(doc.last("joined").get("state").asText()).isEqualTo("admitted");
        assertThat(doc.last("joined").get("participants")).isEmpty();
        assertThat(pat.last("waiting").get("doctorPresent").asBoolean()).isTrue();
        assertThat(doc.last("waiting-list").get("waiting").get(0).get("participantId").asText()).isEqualTo("pat-1");
        doc.publish();
        // ... but nothing flows either way: no subscriber offers, no tracks, no one announced.
        assertThat(pat.messages("offer")).isEmpty();
        assertThat(doc.messages("offer")).isEmpty();
        assertThat(doc.messages("participant-joined")).isEmpty();
        assertThat(pat.messages("track-published")).isEmpty();

        doc.send(json("admit").put("participantId", "pat-1"));
        assertThat(pat.last("admitted").get("participants").get(0).get("participantId").asText()).isEqualTo("doc-1");
        assertThat(doc.last("participant-joined").get("participant").get("participantId").asText()).isEqualTo("pat-1");
        assertThat(doc.last("waiting-list").get("waiting")).isEmpty();
        // Now each gets a subscriber offer carrying the other's audio and video.
        assertThat(SdpParser.parse(pat.last("offer").get("sdp").asText()).media()).hasSize(3);
        assertThat(SdpParser.parse(doc.last("offer").get("sdp").asText()).media()).hasSize(3);
        assertThat(kit.audit.events).anyMatch(e -> e.startsWith("admitted visit-a") && e.contains("by=doc-1"));
    }

    /**
     * A patient the doctor admitted whose connection drops (a phone changing networks, a reload)
     * joins again and comes straight back into the call, also into a visit the doctor has locked
     * meanwhile; a patient never admitted still waits, and the lock still keeps new people out.
     */
    @Test
    void anAdmittedPatientWhoReconnectsComesStraightBackIn() throws Exception {
        RoomKit.Client doc = join(visit, doctor);
        RoomKit.Client pat = join(visit, patient);
        doc.send(json("admit").put("participantId", "pat-1"));
        assertThat(pat.messages("admitted")).hasSize(1);
        doc.send(json("lock").put("locked", true));

        // The old socket is not even closed yet (a dead connection): the new join replaces it.
        RoomKit.Client again = join(visit, patient);
        assertThat(again.last("joined").get("state").asText()).isEqualTo("admitted");
        assertThat(again.last("joined").get("participants").get(0).get("participantId").asText()).isEqualTo("doc-1");
        assertThat(again.messages("waiting")).isEmpty();
        assertThat(pat.last("closed").get("reason").asText()).isEqualTo("joined_elsewhere");
        assertThat(kit.audit.events).anyMatch(e -> e.startsWith("readmitted visit-a") && e.contains("pat-1"));
        assertThat(doc.last("waiting-list").get("waiting")).as("nobody waiting").isEmpty();

        // Someone the doctor never admitted is kept out by the lock ...
        RoomKit.Client sam = join(visit, patient2);
        assertThat(sam.lastErrorCode()).isEqualTo("room_locked");
        // ... and without it, waits as before.
        doc.send(json("lock").put("locked", false));
        RoomKit.Client sam2 = join(visit, patient2);
        assertThat(sam2.last("joined").get("state").asText()).isEqualTo("waiting");
    }

    @Test
    void onlyTheDoctorModerates() throws Exception {
        RoomKit.Client doc = join(visit, doctor);
        RoomKit.Client pat = join(visit, patient);
        RoomKit.Client sam = join(visit, patient2);
        doc.send(json("admit").put("participantId", "pat-1"));
        for (var msg : List.of(json("admit").put("participantId", "pat-2"), json("deny").put("participantId", "pat-2"),
                json("remove").put("participantId", "doc-1"), json("mute").put("participantId", "doc-1").put("audio", true),
                json("lock").put("locked", true), json("auto-admit").put("enabled", true), json("end-visit"))) {
            pat.send(msg);
            assertThat(pat.lastErrorCode()).as(msg.toString()).isEqualTo("forbidden");
        }
        assertThat(sam.last("joined").get("state").asText()).isEqualTo("waiting");
        assertThat(sam.messages("admitted")).isEmpty();
        assertThat(doc.isOpen()).isTrue();
    }

    @Test
    void aRemovedParticipantCannotRejoin() throws Exception {
        RoomKit.Client doc = join(visit, doctor);
        RoomKit.Client pat = join(visit, patient);
        doc.send(json("remove").put("participantId", "pat-1"));
        assertThat(pat.last("closed").get("reason").asText()).isEqualTo("removed");
        assertThat(pat.isOpen()).isFalse();
        RoomKit.Client again = join(visit, patient);
        assertThat(again.lastErrorCode()).isEqualTo("token_removed");
        assertThat(kit.audit.events).anyMatch(e -> e.startsWith("removed visit-a"));
    }

    @Test
    void aTokenForOneAppointmentNeverOpensAnother() throws Exception {
        RoomKit.Client c = kit.client("mallory");
        c.send(json("join").put("token", tokens.mint(visit, patient)).put("room", "visit-b"));
        assertThat(c.lastErrorCode()).isEqualTo("token_wrong_room");
        JwtJoinTokens otherServer = new JwtJoinTokens(
                "another-secret-of-at-least-32-bytes!!".getBytes(StandardCharsets.UTF_8), null, java.time.Clock.systemUTC());
        RoomKit.Client forged = kit.client("forger");
        forged.joinWithToken(otherServer.mint(otherVisit, patient));
        assertThat(forged.lastErrorCode()).isEqualTo("token_bad_signature");
        RoomKit.Client none = kit.client("no-token");
        none.send(json("join").put("room", "visit-a").put("name", "Eve"));
        assertThat(none.lastErrorCode()).isEqualTo("not_allowed");
    }

    @Test
    void expiredAndEarlyTokensAreRefusedWithWhenToCome() throws Exception {
        kit.clock.set(START.minus(Duration.ofMinutes(30)));
        RoomKit.Client early = join(visit, patient);
        assertThat(early.lastErrorCode()).isEqualTo("token_not_yet_valid");
        assertThat(early.last("error").get("message").asText()).contains("2026-11-24T08:50");
        kit.clock.set(START.plus(Duration.ofMinutes(46)));
        RoomKit.Client late = join(visit, patient);
        assertThat(late.lastErrorCode()).isEqualTo("token_expired");
    }

    @Test
    void lockAutoAdmitAndEndVisit() throws Exception {
        RoomKit.Client doc = join(visit, doctor);
        doc.send(json("lock").put("locked", true));
        assertThat(doc.last("room-state").get("locked").asBoolean()).isTrue();
        assertThat(join(visit, patient).lastErrorCode()).isEqualTo("room_locked");
        doc.send(json("lock").put("locked", false));
        doc.send(json("auto-admit").put("enabled", true));
        RoomKit.Client pat = join(visit, patient);
        assertThat(pat.last("joined").get("state").asText()).isEqualTo("admitted");

        doc.send(json("end-visit"));
        assertThat(doc.last("closed").get("reason").asText()).isEqualTo("ended");
        assertThat(pat.last("closed").get("reason").asText()).isEqualTo("ended");
        assertThat(kit.store.get("visit-a").orElseThrow().status()).isEqualTo(Appointment.Status.ENDED);
        assertThat(join(visit, patient).lastErrorCode()).isEqualTo("appointment_ended");
    }

    @Test
    void theLifecycleClockWarnsClosesAndFrees() throws Exception {
        RoomKit.Client doc = join(visit, doctor);
        Instant closesAt = visit.closesAt();
        kit.rooms.checkLifecycle(visit.end().minus(Duration.ofMinutes(6)));
        kit.settle();
        assertThat(doc.messages("ending-soon")).isEmpty();
        kit.rooms.checkLifecycle(visit.end().minus(Duration.ofMinutes(5)));
        kit.settle();
        assertThat(doc.messages("ending-soon")).hasSize(1);
        assertThat(doc.last("ending-soon").get("endsAt").asText()).isEqualTo(visit.end().toString());
        kit.rooms.checkLifecycle(closesAt.minus(Duration.ofMinutes(6)));
        kit.settle();
        assertThat(doc.messages("ending-soon")).hasSize(1);
        kit.rooms.checkLifecycle(closesAt.minus(Duration.ofMinutes(5)));
        kit.settle();
        assertThat(doc.messages("ending-soon")).hasSize(2);
        assertThat(doc.last("ending-soon").get("closesAt").asText()).isEqualTo(closesAt.toString());
        kit.rooms.checkLifecycle(closesAt);
        kit.settle();
        assertThat(doc.last("closed").get("reason").asText()).isEqualTo("appointment_over");
        assertThat(kit.rooms.appointmentRoom("visit-a")).isEmpty();
    }

    @Test
    void anEmptyAppointmentRoomIsFreedAfterATimeout() throws Exception {
        RoomKit.Client doc = join(visit, doctor);
        doc.send(json("leave"));
        assertThat(kit.rooms.appointmentRoom("visit-a")).isPresent();
        kit.rooms.checkLifecycle(START.plus(RoomPeriodicChecks.EMPTY_ROOM_TIMEOUT).minusSeconds(1));
        kit.settle();
        assertThat(kit.rooms.appointmentRoom("visit-a")).isPresent();
        kit.rooms.checkLifecycle(START.plus(RoomPeriodicChecks.EMPTY_ROOM_TIMEOUT));
        kit.settle();
        assertThat(kit.rooms.appointmentRoom("visit-a")).isEmpty();
    }

    @Test
    void theDoctorMutesAndThePatientMayUnmute() throws Exception {
        RoomKit.Client doc = join(visit, doctor);
        RoomKit.Client pat = join(visit, patient);
        doc.send(json("admit").put("participantId", "pat-1"));
        pat.publish();
        doc.send(json("mute").put("participantId", "pat-1").put("audio", true));
        assertThat(pat.last("muted").get("audio").asBoolean()).isTrue();
        assertThat(doc.last("participant-updated").get("audio").asBoolean()).isFalse();
        pat.send(json("media-state").put("audio", true).put("video", true));
        assertThat(doc.last("participant-updated").get("audio").asBoolean()).isTrue();
    }
}

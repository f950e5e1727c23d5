package org.medibridge.signaling.room;

import static org.assertj.core.api.Assertions.assertThat;
import static org.medibridge.signaling.room.RoomKit.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.medibridge.appointment.Appointment;
import org.medibridge.appointment.Person;
import org.medibridge.appointment.Role;
import org.medibridge.token.JwtJoinTokens;

/** Nothing is recorded unless everyone in the call consents, to this recording, and keeps consenting. */
class RecordingConsentTest {
    private static final Instant START = Instant.parse("2026-11-24T09:00:00Z");
    private final JwtJoinTokens tokens = new JwtJoinTokens(
            "a-test-secret-of-at-least-32-bytes!!".getBytes(StandardCharsets.UTF_8), null, java.time.Clock.systemUTC());
    private final Person doctor = new Person("doc-1", "Dr. Grey", Role.DOCTOR);
    private final Person patient = new Person("pat-1", "Pat", Role.PATIENT);
    private final Person relative = new Person("rel-1", "Sam", Role.PATIENT);
    private RoomKit kit;
    private Appointment visit;
    private RoomKit.Client doc;
    private RoomKit.Client pat;

    @BeforeEach
    void setUp() throws Exception {
        kit = new RoomKit(START, tokens);
        visit = new Appointment("visit-r", START, START.plus(Duration.ofMinutes(30)), List.of(doctor, patient, relative),
                Duration.ofMinutes(10), Duration.ofMinutes(15), false, Appointment.Status.SCHEDULED, START);
        kit.store.create(visit);
        doc = join(doctor);
        pat = join(patient);
        doc.publish();
        pat.publish();
    }

    @AfterEach
    void tearDown() {
        kit.close();
    }

    private RoomKit.Client join(Person p) throws Exception {
        RoomKit.Client c = kit.client(p.name());
        c.joinWithToken(tokens.mint(visit, p));
        return c;
    }

    private String request() throws Exception {
        doc.send(json("recording-request"));
        return pat.last("recording-consent-request").get("recordingId").asText();
    }

    private static void consent(RoomKit.Client c, String rid, boolean yes) throws Exception {
        c.send(json("recording-consent").put("recordingId", rid).put("consent", yes));
    }

    private static List<String> waitingFor(JsonNode state) {
        List<String> ids = new ArrayList<>();
        state.get("waitingFor").forEach(n -> ids.add(n.asText()));
        return ids;
    }

    @Test
    void recordingStartsOnlyWhenEveryoneConsented() throws Exception {
        String rid = request();
        assertThat(doc.last("recording-consent-request").get("recordingId").asText()).isEqualTo(rid);
        JsonNode requested = pat.last("recording-state");
        assertThat(requested.get("state").asText()).isEqualTo("requested");
        assertThat(waitingFor(requested)).containsExactlyInAnyOrder("doc-1", "pat-1");

        consent(doc, rid, true);
        assertThat(doc.last("recording-state").get("state").asText()).isEqualTo("requested");
        assertThat(kit.recordings.recorders).as("no recorder before the last consent").isEmpty();

        consent(pat, rid, true);
        assertThat(doc.last("recording-state").get("state").asText()).isEqualTo("recording");
        assertThat(pat.last("recording-state").get("state").asText()).isEqualTo("recording");
        assertThat(kit.recordings.recorders).extracting(r -> r.fileName)
                .containsExactlyInAnyOrder("doc-1.webm", "pat-1.webm");

        doc.send(json("recording-stop"));
        assertThat(pat.last("recording-state").get("reason").asText()).isEqualTo("stopped");
        assertThat(kit.recordings.recorders).allMatch(r -> r.closed);
        assertThat(kit.audit.events).anyMatch(e -> e.startsWith("recording_started visit-r"))
                .anyMatch(e -> e.startsWith("recording_stopped visit-r"));
    }

    @Test
    void aRefusalMeansNoRecordingAtAll() throws Exception {
        String rid = request();
        consent(doc, rid, true);
        consent(pat, rid, false);
        JsonNode stopped = doc.last("recording-state");
        assertThat(stopped.get("state").asText()).isEqualTo("stopped");
        assertThat(stopped.get("reason").asText()).isEqualTo("consent_refused");
        assertThat(stopped.get("by").asText()).isEqualTo("pat-1");
        assertThat(kit.recordings.recorders).isEmpty();
    }

    @Test
    void aWithdrawalStopsAtOnce() throws Exception {
        String rid = request();
        consent(doc, rid, true);
        consent(pat, rid, true);
        consent(pat, rid, false);
        assertThat(doc.last("recording-state").get("reason").asText()).isEqualTo("consent_withdrawn");
        assertThat(kit.recordings.recorders).hasSize(2).allMatch(r -> r.closed);
    }

    @Test
    void someoneJoiningPausesTheRecordingUntilTheyConsent() throws Exception {
        String rid = request();
        consent(doc, rid, true);
        consent(pat, rid, true);
        RoomKit.Client rel = join(relative); // no waiting room in this visit: admitted at once
        assertThat(rel.last("recording-consent-request").get("recordingId").asText()).isEqualTo(rid);
        JsonNode paused = doc.last("recording-state");
        assertThat(paused.get("state").asText()).isEqualTo("paused");
        assertThat(waitingFor(paused)).containsExactly("rel-1");
        consent(rel, rid, true);
        assertThat(doc.last("recording-state").get("state").asText()).isEqualTo("recording");
        assertThat(kit.recordings.recorders).extracting(r -> r.fileName).contains("rel-1.webm");
    }

    @Test
    void onlyTheDoctorRequestsOrStops() throws Exception {
        pat.send(json("recording-request"));
        assertThat(pat.lastErrorCode()).isEqualTo("forbidden");
        String rid = request();
        pat.send(json("recording-stop"));
        assertThat(pat.lastErrorCode()).isEqualTo("forbidden");
        doc.send(json("recording-request"));
        assertThat(doc.lastErrorCode()).isEqualTo("recording_active");
        consent(pat, "rec-other", true);
        assertThat(pat.lastErrorCode()).isEqualTo("recording_not_found");
        assertThat(rid).startsWith("rec-");
    }

    @Test
    void aWriteFailureStopsTheRecordingAndEveryoneIsTold() throws Exception {
        String rid = request();
        consent(doc, rid, true);
        consent(pat, rid, true);
        kit.recordings.recorders.get(0).onFailure.accept(new java.io.IOException("No space left on device"));
        kit.settle();
        assertThat(pat.last("recording-state").get("reason").asText()).isEqualTo("failed");
        assertThat(kit.recordings.recorders).allMatch(r -> r.closed);
    }
}

package org.medibridge.signaling.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.medibridge.signaling.api.ApiTestServer.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.medibridge.appointment.AppointmentBodies;

/** GET …/participants and the moderation routes, against the fake rooms. */
class ApiParticipantsTest {
    static final Instant CONNECTED = Instant.parse("2026-11-24T08:52:00Z");
    private static final String P = "/api/v1/appointments/visit-1/participants";

    private ApiTestServer server;

    static Presence waiting(String id) {
        return new Presence(id, Presence.State.WAITING, CONNECTED, CONNECTED, false, false);
    }

    static Presence admitted(String id) {
        return new Presence(id, Presence.State.ADMITTED, CONNECTED, CONNECTED.plusSeconds(30), false, true);
    }

    @BeforeEach
    void start() throws Exception {
        server = ApiTestServer.start();
        ObjectNode b = AppointmentBodies.valid();
        b.put("id", "visit-1");
        b.set("patients", AppointmentBodies.json(
                "[{\"id\":\"pat-1\",\"name\":\"Jon\"},{\"id\":\"pat-2\",\"name\":\"Mia\"}]"));
        assertThat(server.send("POST", "/api/v1/appointments", b.toString()).statusCode()).isEqualTo(201);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private void assertError(HttpResponse<String> r, int status, String code) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(json(r).get("code").asText()).isEqualTo(code);
    }

    @Test
    void participantsShowsEveryoneBookedWithTheirLiveState() {
        server.backend.connect("visit-1", admitted("dr-1"));
        server.backend.connect("visit-1", waiting("pat-1"));
        HttpResponse<String> r = server.send("GET", P, null);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode n = json(r);
        assertThat(n.get("appointmentId").asText()).isEqualTo("visit-1");
        JsonNode ps = n.get("participants");
        assertThat(ps).extracting(p -> p.get("id").asText() + " " + p.get("role").asText() + " " + p.get("state").asText())
                .containsExactly("dr-1 doctor admitted", "pat-1 patient waiting", "pat-2 patient offline");
        assertThat(ps.get(0).get("stateSince").asText()).isEqualTo("2026-11-24T08:52:30Z");
        assertThat(ps.get(0).get("videoMuted").asBoolean()).isTrue();
        assertThat(ps.get(1).get("connectedSince").asText()).isEqualTo("2026-11-24T08:52:00Z");
        assertThat(ps.get(1).get("name").asText()).isEqualTo("Jon");
        assertThat(ps.get(2).has("connectedSince")).isFalse();
        assertThat(r.body()).doesNotContain("tok.");
        assertError(server.send("GET", "/api/v1/appointments/nope/participants", null), 404, "appointment_not_found");
    }

    @Test
    void admitLetsAWaitingPatientIn() {
        server.backend.connect("visit-1", waiting("pat-1"));
        HttpResponse<String> r = server.send("POST", P + "/pat-1/admit", null);
        assertThat(r.statusCode()).isEqualTo(204);
        assertThat(server.backend.calls).containsExactly("admit visit-1 pat-1");
        assertThat(json(server.send("GET", P, null)).get("participants").get(1).get("state").asText())
                .isEqualTo("admitted");
    }

    @Test
    void denyTurnsAWaitingPatientAway() {
        server.backend.connect("visit-1", waiting("pat-1"));
        assertThat(server.send("POST", P + "/pat-1/deny", null).statusCode()).isEqualTo(204);
        assertThat(server.backend.present).isEmpty();
    }

    @Test
    void denyOfAnAdmittedParticipantIs409() {
        server.backend.connect("visit-1", admitted("pat-1"));
        assertError(server.send("POST", P + "/pat-1/deny", null), 409, "participant_not_waiting");
    }

    @ParameterizedTest
    @ValueSource(strings = {"admit", "deny"})
    void admitOrDenyOfSomeoneNotConnectedIs409(String action) {
        assertError(server.send("POST", P + "/pat-1/" + action, null), 409, "participant_not_connected");
    }

    @ParameterizedTest
    @ValueSource(strings = {"admit", "deny", "remove", "mute"})
    void unknownParticipantOrAppointmentIs404(String action) {
        String body = action.equals("mute") ? "{\"audio\":true}" : null;
        assertError(server.send("POST", P + "/stranger/" + action, body), 404, "participant_not_found");
        assertError(server.send("POST", P + "/bad%2Fid/" + action, body), 404, "participant_not_found");
        assertError(server.send("POST", "/api/v1/appointments/nope/participants/pat-1/" + action, body), 404,
                "appointment_not_found");
        assertThat(server.backend.calls).isEmpty();
        assertThat(server.store.isRemoved("visit-1", "stranger")).isFalse();
    }

    @Test
    void removeDisconnectsAndBarsTheToken() {
        server.backend.connect("visit-1", admitted("pat-1"));
        assertThat(server.send("POST", P + "/pat-1/remove", null).statusCode()).isEqualTo(204);
        assertThat(server.backend.calls).containsExactly("remove visit-1 pat-1");
        assertThat(server.store.isRemoved("visit-1", "pat-1")).isTrue();
        assertThat(server.store.isRemoved("visit-1", "pat-2")).isFalse();

        JsonNode a = json(server.send("GET", "/api/v1/appointments/visit-1", null));
        JsonNode pat1 = a.get("participants").get(1);
        assertThat(pat1.get("removed").asBoolean()).isTrue();
        assertThat(pat1.has("joinUrl")).isFalse();
        assertThat(a.get("participants").get(2).has("joinUrl")).isTrue();
        assertThat(json(server.send("GET", P, null)).get("participants").get(1).get("removed").asBoolean()).isTrue();
    }

    @Test
    void removeOfSomeoneNotConnectedStillBarsThem() {
        assertThat(server.send("POST", P + "/pat-2/remove", null).statusCode()).isEqualTo(204);
        assertThat(server.store.isRemoved("visit-1", "pat-2")).isTrue();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"audio\": true}               | audio=true video=null",
            "{\"video\": true}               | audio=null video=true",
            "{\"audio\": false, \"video\": true} | audio=false video=true",
            "{\"audio\": null, \"video\": false} | audio=null video=false"})
    void muteAsksTheRooms(String body, String expected) {
        server.backend.connect("visit-1", admitted("pat-1"));
        assertThat(server.send("POST", P + "/pat-1/mute", body).statusCode()).isEqualTo(204);
        assertThat(server.backend.calls).containsExactly("mute visit-1 pat-1 " + expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{}                      | 422 | missing_field",
            "{\"audio\": null}       | 422 | missing_field",
            "{\"audio\": \"yes\"}    | 422 | invalid_field",
            "{\"audio\": 1}          | 422 | invalid_field",
            "{\"mic\": true}         | 422 | unknown_field",
            "[true]                  | 400 | invalid_body",
            "{\"audio\": tru         | 400 | malformed_json"})
    void badMuteBodiesAreRefused(String body, int status, String code) {
        server.backend.connect("visit-1", admitted("pat-1"));
        assertError(server.send("POST", P + "/pat-1/mute", body), status, code);
        assertThat(server.backend.calls).isEmpty();
    }

    @Test
    void muteWithoutABodyIs400() {
        assertError(server.send("POST", P + "/pat-1/mute", null), 400, "malformed_json");
    }

    @Test
    void muteOfSomeoneNotConnectedIs409() {
        assertError(server.send("POST", P + "/pat-1/mute", "{\"audio\":true}"), 409, "participant_not_connected");
    }
}

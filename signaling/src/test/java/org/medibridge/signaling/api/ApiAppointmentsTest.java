package org.medibridge.signaling.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.medibridge.signaling.api.ApiTestServer.BASE_URL;
import static org.medibridge.signaling.api.ApiTestServer.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.medibridge.appointment.Appointment;
import org.medibridge.appointment.AppointmentBodies;

/** POST, GET (one and list), DELETE and end, over real HTTP. */
class ApiAppointmentsTest {
    private ApiTestServer server;

    @BeforeEach
    void start() throws Exception {
        server = ApiTestServer.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private JsonNode create(String id) {
        ObjectNode b = AppointmentBodies.valid();
        if (id != null) {
            b.put("id", id);
        }
        HttpResponse<String> r = server.send("POST", "/api/v1/appointments", b.toString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return json(r);
    }

    private void assertError(HttpResponse<String> r, int status, String code) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonNode e = json(r);
        assertThat(e.get("code").asText()).isEqualTo(code);
        assertThat(e.get("status").asInt()).isEqualTo(status);
        assertThat(e.get("message").asText()).isNotBlank();
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
    }

    @Test
    void createAnswersTheAppointmentWithJoinLinks() {
        ObjectNode b = AppointmentBodies.valid();
        b.put("id", "visit-1");
        b.put("earlyJoinMinutes", 5);
        HttpResponse<String> r = server.send("POST", "/api/v1/appointments", b.toString());
        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(r.headers().firstValue("Location")).hasValue("/api/v1/appointments/visit-1");
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
        JsonNode a = json(r);
        assertThat(a.get("id").asText()).isEqualTo("visit-1");
        assertThat(a.get("status").asText()).isEqualTo("scheduled");
        assertThat(a.get("start").asText()).isEqualTo("2026-11-24T09:00:00Z");
        assertThat(a.get("end").asText()).isEqualTo("2026-11-24T09:30:00Z");
        assertThat(a.get("earlyJoinMinutes").asInt()).isEqualTo(5);
        assertThat(a.get("graceMinutes").asInt()).isEqualTo(15);
        assertThat(a.get("waitingRoom").asBoolean()).isTrue();
        assertThat(a.get("joinFrom").asText()).isEqualTo("2026-11-24T08:55:00Z");
        assertThat(a.get("closesAt").asText()).isEqualTo("2026-11-24T09:45:00Z");
        JsonNode ps = a.get("participants");
        assertThat(ps).hasSize(2);
        assertThat(ps.get(0).get("id").asText()).isEqualTo("dr-1");
        assertThat(ps.get(0).get("name").asText()).isEqualTo("Dr. Ada Meyer");
        assertThat(ps.get(0).get("role").asText()).isEqualTo("doctor");
        assertThat(ps.get(0).get("joinUrl").asText()).isEqualTo(BASE_URL + "/?token=tok.visit-1.dr-1");
        assertThat(ps.get(1).get("role").asText()).isEqualTo("patient");
        assertThat(ps.get(1).get("joinUrl").asText()).isEqualTo(BASE_URL + "/?token=tok.visit-1.pat-1");

        assertThat(server.store.get("visit-1")).isPresent();
        assertThat(server.audit.events).singleElement().satisfies(e -> {
            assertThat(e.event()).isEqualTo("appointment_created");
            assertThat(e.appointmentId()).isEqualTo("visit-1");
            assertThat(e.fields()).containsEntry("doctor", "dr-1").containsEntry("patients", "pat-1")
                    .containsEntry("by", "api");
            assertThat(e.fields().values()).noneMatch(v -> v.contains("tok."));
        });
    }

    @Test
    void createWithoutIdGeneratesOne() {
        JsonNode a = create(null);
        assertThat(a.get("id").asText()).matches("[0-9a-f]{32}");
        assertThat(server.store.get(a.get("id").asText())).isPresent();
    }

    @Test
    void aDuplicateIdIs409AndTheFirstStays() {
        create("visit-1");
        ObjectNode b = AppointmentBodies.valid();
        b.put("id", "visit-1");
        b.put("start", "2026-11-25T09:00:00Z");
        b.put("end", "2026-11-25T09:30:00Z");
        assertError(server.send("POST", "/api/v1/appointments", b.toString()), 409, "appointment_exists");
        assertThat(server.store.list()).singleElement().extracting(Appointment::start)
                .hasToString("2026-11-24T09:00:00Z");
        assertThat(server.audit.events).hasSize(1);
    }

    @ParameterizedTest(name = "{0} → {2} {3}")
    @MethodSource("org.medibridge.appointment.AppointmentBodies#bad")
    void badBodiesAreRefusedAndNothingIsCreated(String name, String body, int status, String code) {
        create("existing");
        String before = server.send("GET", "/api/v1/appointments", null).body();
        assertError(server.send("POST", "/api/v1/appointments", body), status, code);
        assertThat(server.send("GET", "/api/v1/appointments", null).body()).isEqualTo(before);
        assertThat(server.audit.events).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{", "{\"start\": }", "not json", "{\"a\":1} {\"b\":2}", "{\"id\":\"a\",\"id\":\"b\"}",
            "\u0000"})
    void malformedJsonIs400(String body) {
        assertError(server.send("POST", "/api/v1/appointments", body), 400, "malformed_json");
        assertThat(server.store.list()).isEmpty();
    }

    @Test
    void aBodyOver64KiBIs413() {
        ObjectNode b = AppointmentBodies.valid();
        b.put("padding", "x".repeat(64 * 1024));
        assertError(server.send("POST", "/api/v1/appointments", b.toString()), 413, "body_too_large");
        assertThat(server.store.list()).isEmpty();
    }

    @Test
    void listIsOrderedByStartAndCarriesNoLinks() {
        ObjectNode later = AppointmentBodies.valid();
        later.put("id", "later");
        later.put("start", "2026-11-25T09:00:00Z");
        later.put("end", "2026-11-25T10:00:00Z");
        assertThat(server.send("POST", "/api/v1/appointments", later.toString()).statusCode()).isEqualTo(201);
        create("sooner");
        HttpResponse<String> r = server.send("GET", "/api/v1/appointments", null);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode list = json(r).get("appointments");
        assertThat(list).extracting(n -> n.get("id").asText()).containsExactly("sooner", "later");
        assertThat(r.body()).doesNotContain("joinUrl").doesNotContain("tok.");
        assertThat(list.get(0).get("participants").get(1).get("role").asText()).isEqualTo("patient");
    }

    @Test
    void getOneReturnsFreshLinksAndUnknownIs404() {
        create("visit-1");
        HttpResponse<String> r = server.send("GET", "/api/v1/appointments/visit-1", null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).get("participants").get(1).get("joinUrl").asText())
                .isEqualTo(BASE_URL + "/?token=tok.visit-1.pat-1");
        assertError(server.send("GET", "/api/v1/appointments/visit-2", null), 404, "appointment_not_found");
        assertError(server.send("GET", "/api/v1/appointments/a%20b", null), 404, "appointment_not_found");
        assertThat(server.send("GET", "/api/v1/appointments/visit-1/", null).statusCode()).isEqualTo(200);
    }

    @Test
    void deleteCancelsDisconnectsEveryoneAndIsIdempotent() {
        create("visit-1");
        server.backend.connect("visit-1", ApiParticipantsTest.waiting("pat-1"));
        HttpResponse<String> r = server.send("DELETE", "/api/v1/appointments/visit-1", null);
        assertThat(r.statusCode()).isEqualTo(204);
        assertThat(r.body()).isEmpty();
        assertThat(server.store.get("visit-1").orElseThrow().status()).isEqualTo(Appointment.Status.CANCELLED);
        assertThat(server.backend.calls).containsExactly("close visit-1 cancelled");
        assertThat(server.backend.present).isEmpty();
        assertThat(server.audit.events).extracting(ApiTestServer.Event::event)
                .containsExactly("appointment_created", "appointment_cancelled");

        JsonNode a = json(server.send("GET", "/api/v1/appointments/visit-1", null));
        assertThat(a.get("status").asText()).isEqualTo("cancelled");
        assertThat(a.get("participants").get(0).has("joinUrl")).isFalse();

        assertThat(server.send("DELETE", "/api/v1/appointments/visit-1", null).statusCode()).isEqualTo(204);
        assertThat(server.audit.events).hasSize(2);
        assertError(server.send("POST", "/api/v1/appointments/visit-1/end", null), 409, "appointment_cancelled");
        assertError(server.send("DELETE", "/api/v1/appointments/nope", null), 404, "appointment_not_found");
    }

    @Test
    void endEndsDisconnectsEveryoneAndIsIdempotent() {
        create("visit-1");
        HttpResponse<String> r = server.send("POST", "/api/v1/appointments/visit-1/end", null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).get("status").asText()).isEqualTo("ended");
        assertThat(json(r).get("participants").get(0).has("joinUrl")).isFalse();
        assertThat(server.backend.calls).containsExactly("close visit-1 ended");
        assertThat(server.audit.events).extracting(ApiTestServer.Event::event)
                .containsExactly("appointment_created", "appointment_ended");

        assertThat(server.send("POST", "/api/v1/appointments/visit-1/end", null).statusCode()).isEqualTo(200);
        assertThat(server.audit.events).hasSize(2);
        assertError(server.send("DELETE", "/api/v1/appointments/visit-1", null), 409, "appointment_ended");
        assertError(server.send("POST", "/api/v1/appointments/nope/end", null), 404, "appointment_not_found");
    }

    @Test
    void wrongMethodIs405WithAllow() {
        create("visit-1");
        HttpResponse<String> r = server.send("PUT", "/api/v1/appointments", "{}");
        assertError(r, 405, "method_not_allowed");
        assertThat(r.headers().firstValue("Allow")).hasValue("GET, POST");
        assertThat(server.send("POST", "/api/v1/appointments/visit-1", "{}").headers().firstValue("Allow"))
                .hasValue("GET, DELETE");
        assertThat(server.send("GET", "/api/v1/appointments/visit-1/end", null).headers().firstValue("Allow"))
                .hasValue("POST");
        assertThat(server.send("DELETE", "/api/v1/appointments/visit-1/participants", null).statusCode())
                .isEqualTo(405);
        assertThat(server.send("GET", "/api/v1/appointments/visit-1/participants/pat-1/admit", null).statusCode())
                .isEqualTo(405);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api", "/api/", "/api/v1", "/api/v2/appointments", "/api/v1/things",
            "/api/v1/appointments/visit-1/start", "/api/v1/appointments/visit-1/participants/pat-1",
            "/api/v1/appointments/visit-1/participants/pat-1/explode", "/api/v1/appointments//end",
            "/api/v1/appointments/visit-1/participants/pat-1/admit/now"})
    void unknownRoutesAre404(String path) {
        create("visit-1");
        assertError(server.send("GET", path, null), 404, "not_found");
    }
}

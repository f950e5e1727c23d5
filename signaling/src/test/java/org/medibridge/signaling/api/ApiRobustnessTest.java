package org.medibridge.signaling.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.medibridge.signaling.api.ApiTestServer.KEY;
import static org.medibridge.signaling.api.ApiTestServer.json;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.medibridge.appointment.Appointment;
import org.medibridge.appointment.AppointmentBodies;

/** Slow rooms, a failing audit log, pipelined requests. */
class ApiRobustnessTest {

    private static String body(String id) {
        ObjectNode b = AppointmentBodies.valid();
        b.put("id", id);
        return b.toString();
    }

    @Test
    void roomsThatDoNotAnswerGive503AndTheServerStaysUsable() throws Exception {
        try (ApiTestServer server = new ApiTestServer(KEY, Duration.ofMillis(300))) {
            server.send("POST", "/api/v1/appointments", body("visit-1"));
            server.backend.hang = true;
            var r = server.send("GET", "/api/v1/appointments/visit-1/participants", null);
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(json(r).get("code").asText()).isEqualTo("rooms_unavailable");
            // The store alone still answers.
            assertThat(server.send("GET", "/api/v1/appointments/visit-1", null).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void whenTheAuditLogFailsNothingIsCreatedOrChanged() throws Exception {
        try (ApiTestServer server = ApiTestServer.start()) {
            server.send("POST", "/api/v1/appointments", body("visit-1"));
            server.audit.failing = true;
            var r = server.send("POST", "/api/v1/appointments", body("visit-2"));
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(json(r).get("code").asText()).isEqualTo("audit_unavailable");
            assertThat(server.store.list()).extracting(Appointment::id).containsExactly("visit-1");

            assertThat(server.send("DELETE", "/api/v1/appointments/visit-1", null).statusCode()).isEqualTo(503);
            assertThat(server.send("POST", "/api/v1/appointments/visit-1/end", null).statusCode()).isEqualTo(503);
            assertThat(server.store.get("visit-1").orElseThrow().status()).isEqualTo(Appointment.Status.SCHEDULED);
            assertThat(server.backend.calls).isEmpty();

            server.audit.failing = false;
            assertThat(server.send("POST", "/api/v1/appointments", body("visit-2")).statusCode()).isEqualTo(201);
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        try (ApiTestServer server = ApiTestServer.start()) {
            server.send("POST", "/api/v1/appointments", body("visit-1"));
            String auth = "Authorization: Bearer " + KEY + "\r\n";
            String reqs = "GET /api/v1/appointments/visit-1/participants HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n"
                    + "GET /static.txt HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /api/v1/appointments/none HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n"
                    + "GET /last.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
            try (Socket s = new Socket("127.0.0.1", server.port())) {
                s.setSoTimeout(5000);
                OutputStream out = s.getOutputStream();
                out.write(reqs.getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = s.getInputStream();
                ByteArrayOutputStream all = new ByteArrayOutputStream();
                in.transferTo(all);
                String text = all.toString(StandardCharsets.UTF_8);
                int participants = text.indexOf("\"appointmentId\":\"visit-1\"");
                int first = text.indexOf("static /static.txt");
                int notFound = text.indexOf("appointment_not_found");
                int last = text.indexOf("static /last.txt");
                assertThat(participants).isNotNegative();
                assertThat(first).isGreaterThan(participants);
                assertThat(notFound).isGreaterThan(first);
                assertThat(last).isGreaterThan(notFound);
            }
        }
    }
}

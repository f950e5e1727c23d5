package org.medibridge.signaling.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.medibridge.signaling.api.ApiTestServer.KEY;
import static org.medibridge.signaling.api.ApiTestServer.json;

import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.medibridge.appointment.AppointmentBodies;

class ApiAuthTest {
    private static ApiTestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = ApiTestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void theRightKeyIsAccepted() {
        assertThat(server.send("GET", "/api/v1/appointments", null, "Bearer " + KEY).statusCode()).isEqualTo(200);
        // RFC 6750: the scheme is case-insensitive.
        assertThat(server.send("GET", "/api/v1/appointments", null, "bearer " + KEY).statusCode()).isEqualTo(200);
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"Bearer wrong", "Bearer " + KEY + "x", "Bearer", "Bearer ", "Basic " + KEY, KEY,
            "Bearer test-api-key-012345678"})
    void aMissingOrWrongKeyIs401WithAChallenge(String authorization) {
        HttpResponse<String> r = server.send("GET", "/api/v1/appointments", null, authorization);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        assertThat(json(r).get("code").asText()).isEqualTo("unauthorized");
        assertThat(r.body()).doesNotContain(KEY);
    }

    @Test
    void unauthenticatedCallersLearnNothingAboutRoutes() {
        assertThat(server.send("GET", "/api/v1/nothing-here", null, null).statusCode()).isEqualTo(401);
        assertThat(server.send("PUT", "/api/v1/appointments", "{}", null).statusCode()).isEqualTo(401);
        assertThat(server.send("GET", "/api/v1/appointments/some-id", null, "Bearer nope").statusCode()).isEqualTo(401);
    }

    @Test
    void anUnauthenticatedCreateStoresNothing() {
        HttpResponse<String> r = server.send("POST", "/api/v1/appointments", AppointmentBodies.valid().toString(), null);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(server.store.list()).isEmpty();
        assertThat(server.audit.events).isEmpty();
    }

    @Test
    void nonApiPathsPassThroughWithoutAuthentication() {
        HttpResponse<String> r = server.send("GET", "/app.js", null, null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("static /app.js");
        assertThat(server.send("GET", "/apiary", null, null).body()).isEqualTo("static /apiary");
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "   "})
    void withoutAConfiguredKeyTheApiIsClosed(String configured) throws Exception {
        try (ApiTestServer closed = new ApiTestServer(configured, Duration.ofSeconds(5))) {
            for (String auth : new String[] {null, "Bearer ", "Bearer " + KEY}) {
                HttpResponse<String> r = closed.send("GET", "/api/v1/appointments", null, auth);
                assertThat(r.statusCode()).isEqualTo(401);
                assertThat(json(r).get("code").asText()).isEqualTo("api_closed");
                assertThat(r.headers().firstValue("WWW-Authenticate")).isPresent();
            }
            assertThat(closed.send("GET", "/index.html", null, null).statusCode()).isEqualTo(200);
        }
    }
}

package org.medibridge.signaling.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.medibridge.signaling.api.ApiTestServer.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.medibridge.appointment.AppointmentBodies;
import org.medibridge.recordings.FileRecordingCatalog;
import org.medibridge.recordings.RecordingMeta;

/** The recording routes over real HTTP: fake rooms, the real file catalog in a temporary directory. */
class ApiRecordingsTest {
    private static final String A = "/api/v1/appointments/visit-1";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir
    Path dir;
    private FileRecordingCatalog catalog;
    private FakeRecordingBackend rooms;
    private ApiTestServer server;

    @BeforeEach
    void start() throws Exception {
        catalog = FileRecordingCatalog.open(dir, Clock.systemUTC());
        rooms = new FakeRecordingBackend(catalog);
        server = new ApiTestServer(ApiTestServer.KEY, Duration.ofSeconds(2), rooms, catalog);
        ObjectNode b = AppointmentBodies.valid();
        b.put("id", "visit-1");
        assertThat(server.send("POST", "/api/v1/appointments", b.toString()).statusCode()).isEqualTo(201);
        b.put("id", "visit-2");
        assertThat(server.send("POST", "/api/v1/appointments", b.toString()).statusCode()).isEqualTo(201);
    }

    @AfterEach
    void stop() {
        server.close();
        rooms.close();
    }

    private static void assertError(HttpResponse<String> r, int status, String code) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(json(r).get("code").asText()).as(r.body()).isEqualTo(code);
        assertThat(json(r).get("status").asInt()).isEqualTo(status);
    }

    private String request() {
        HttpResponse<String> r = server.send("POST", A + "/recordings", null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return json(r).get("recordingId").asText();
    }

    /** What the room does while recording: files written, metadata updated; then stopped via the API. */
    private String recordAndStop(byte[] doctorFile, byte[] patientFile) throws IOException {
        rooms.join("visit-1", "dr-1", "pat-1");
        String id = request();
        Files.write(catalog.pathFor(id, "dr-1.webm"), doctorFile);
        Files.write(catalog.pathFor(id, "pat-1.webm"), patientFile);
        RecordingMeta m = catalog.get(id).orElseThrow();
        catalog.update(m.withState(RecordingMeta.State.RECORDING, FakeRecordingBackend.AT, null, null)
                .withParticipants(List.of(
                        new RecordingMeta.Participant("dr-1", "Dr. Grey", "doctor", FakeRecordingBackend.AT, "dr-1.webm", 0),
                        new RecordingMeta.Participant("pat-1", "Pat", "patient", FakeRecordingBackend.AT, "pat-1.webm", 0)))
                .withConsents(List.of(new RecordingMeta.Consent("dr-1", true, FakeRecordingBackend.AT),
                        new RecordingMeta.Consent("pat-1", true, FakeRecordingBackend.AT))));
        assertThat(server.send("POST", A + "/recordings/" + id + "/stop", null).statusCode()).isEqualTo(204);
        return id;
    }

    private HttpResponse<byte[]> download(String path, String auth) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(20)).GET();
        if (auth != null) {
            b.header("Authorization", auth);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void requestAsksTheRoomAndAnswers202WithTheRecording() {
        rooms.join("visit-1", "dr-1", "pat-1");
        HttpResponse<String> r = server.send("POST", A + "/recordings", null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        JsonNode n = json(r);
        String id = n.get("recordingId").asText();
        assertThat(id).startsWith("rec-");
        assertThat(n.get("state").asText()).isEqualTo("requested");
        assertThat(n.get("appointmentId").asText()).isEqualTo("visit-1");
        assertThat(n.get("waitingFor")).extracting(JsonNode::asText).containsExactly("dr-1", "pat-1");
        assertThat(r.headers().firstValue("Location")).contains("/api/v1/recordings/" + id);
        assertThat(rooms.calls).containsExactly("request visit-1");

        JsonNode list = json(server.send("GET", A + "/recordings", null));
        assertThat(list.get("appointmentId").asText()).isEqualTo("visit-1");
        assertThat(list.get("recordings")).hasSize(1);
        JsonNode rec = list.get("recordings").get(0);
        assertThat(rec.get("recordingId").asText()).isEqualTo(id);
        assertThat(rec.get("state").asText()).isEqualTo("requested");
        assertThat(rec.get("requestedBy").asText()).isEqualTo("api");
        assertThat(rec.get("files")).isEmpty();
        assertThat(json(server.send("GET", "/api/v1/appointments/visit-2/recordings", null)).get("recordings")).isEmpty();
    }

    @Test
    void aSecondRequestWhileOneIsActiveIs409() {
        rooms.join("visit-1", "dr-1");
        String id = request();
        HttpResponse<String> r = server.send("POST", A + "/recordings", null);
        assertError(r, 409, "recording_active");
        assertThat(json(r).get("message").asText()).contains(id);
    }

    @Test
    void requestWithNobodyInTheCallIs409() {
        assertError(server.send("POST", A + "/recordings", null), 409, "nobody_connected");
        assertThat(catalog.list("visit-1")).isEmpty();
    }

    @Test
    void requestForAnUnknownCancelledOrEndedAppointmentIsRefused() {
        rooms.join("visit-1", "dr-1");
        rooms.join("visit-2", "dr-1");
        assertError(server.send("POST", "/api/v1/appointments/nope/recordings", null), 404, "appointment_not_found");
        assertError(server.send("GET", "/api/v1/appointments/nope/recordings", null), 404, "appointment_not_found");
        assertThat(server.send("DELETE", A, null).statusCode()).isEqualTo(204);
        assertError(server.send("POST", A + "/recordings", null), 409, "appointment_cancelled");
        assertThat(server.send("POST", "/api/v1/appointments/visit-2/end", null).statusCode()).isEqualTo(200);
        assertError(server.send("POST", "/api/v1/appointments/visit-2/recordings", null), 409, "appointment_ended");
        assertThat(rooms.calls).isEmpty();
    }

    @Test
    void roomsThatDoNotAnswerAre503() {
        rooms.join("visit-1", "dr-1");
        rooms.hang = true;
        assertError(server.send("POST", A + "/recordings", null), 503, "rooms_unavailable");
    }

    @Test
    void stopStopsTheActiveRecordingAndIsIdempotent() {
        rooms.join("visit-1", "dr-1");
        String id = request();
        assertThat(server.send("POST", A + "/recordings/" + id + "/stop", null).statusCode()).isEqualTo(204);
        assertThat(rooms.calls).containsExactly("request visit-1", "stop visit-1 " + id);
        JsonNode rec = json(server.send("GET", "/api/v1/recordings/" + id, null));
        assertThat(rec.get("state").asText()).isEqualTo("stopped");
        assertThat(rec.get("stopReason").asText()).isEqualTo("stopped");
        // again: nothing to do, still 204, the rooms are not asked
        assertThat(server.send("POST", A + "/recordings/" + id + "/stop", null).statusCode()).isEqualTo(204);
        assertThat(rooms.calls).hasSize(2);
        // a new one may be requested now
        assertThat(request()).isNotEqualTo(id);
    }

    @Test
    void stopOfAnUnknownRecordingOrOneOfAnotherAppointmentIs404() {
        rooms.join("visit-1", "dr-1");
        String id = request();
        assertError(server.send("POST", A + "/recordings/rec-nope/stop", null), 404, "recording_not_found");
        assertError(server.send("POST", A + "/recordings/..%2Fx/stop", null), 404, "recording_not_found");
        assertError(server.send("POST", "/api/v1/appointments/visit-2/recordings/" + id + "/stop", null), 404,
                "recording_not_found");
        assertError(server.send("POST", "/api/v1/appointments/nope/recordings/" + id + "/stop", null), 404,
                "appointment_not_found");
        assertThat(catalog.get(id).orElseThrow().active()).isTrue();
    }

    @Test
    void metadataListsTheFilesWithTheirSizeOnDiskAndDownloadPaths() throws Exception {
        String id = recordAndStop(new byte[1234], new byte[99]);
        HttpResponse<String> r = server.send("GET", "/api/v1/recordings/" + id, null);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode rec = json(r);
        assertThat(rec.get("appointmentId").asText()).isEqualTo("visit-1");
        assertThat(rec.get("state").asText()).isEqualTo("stopped");
        assertThat(rec.get("encrypted").asBoolean()).isFalse();
        assertThat(rec.get("participants")).extracting(p -> p.get("participantId").asText() + " " + p.get("role").asText()
                + " " + p.get("file").asText()).containsExactly("dr-1 doctor dr-1.webm", "pat-1 patient pat-1.webm");
        assertThat(rec.get("consents")).extracting(c -> c.get("participantId").asText() + " " + c.get("consent").asBoolean())
                .containsExactly("dr-1 true", "pat-1 true");
        assertThat(rec.get("files")).extracting(f -> f.get("name").asText() + " " + f.get("bytes").asLong() + " "
                + f.get("url").asText()).containsExactly(
                        "dr-1.webm 1234 /api/v1/recordings/" + id + "/files/dr-1.webm",
                        "pat-1.webm 99 /api/v1/recordings/" + id + "/files/pat-1.webm");
        assertThat(rec.get("startedAt").asText()).isEqualTo("2026-11-24T09:05:00Z");
        assertThat(rec.get("stoppedAt").asText()).isEqualTo("2026-11-24T09:06:00Z");
        assertError(server.send("GET", "/api/v1/recordings/rec-nope", null), 404, "recording_not_found");
    }

    @Test
    void downloadStreamsTheFileAsStoredAndIsAudited() throws Exception {
        byte[] big = new byte[5 * 1024 * 1024 + 17];
        new Random(7).nextBytes(big);
        String id = recordAndStop(big, "small".getBytes(StandardCharsets.US_ASCII));
        String path = "/api/v1/recordings/" + id + "/files/dr-1.webm";
        HttpResponse<byte[]> r = download(path, "Bearer " + ApiTestServer.KEY);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).contains("video/webm");
        assertThat(r.headers().firstValue("Content-Length")).contains(Long.toString(big.length));
        assertThat(r.headers().firstValue("Content-Disposition")).contains("attachment; filename=\"dr-1.webm\"");
        assertThat(r.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(r.headers().firstValue("X-MediBridge-Encrypted")).isEmpty();
        assertThat(r.body()).isEqualTo(big);
        assertThat(server.audit.events).anySatisfy(e -> {
            assertThat(e.event()).isEqualTo("recording_downloaded");
            assertThat(e.appointmentId()).isEqualTo("visit-1");
            assertThat(e.fields()).containsEntry("by", "api").containsEntry("recordingId", id)
                    .containsEntry("file", "dr-1.webm");
        });
        // the same connection goes on serving: another download, then JSON
        assertThat(download("/api/v1/recordings/" + id + "/files/pat-1.webm", "Bearer " + ApiTestServer.KEY).body())
                .isEqualTo("small".getBytes(StandardCharsets.US_ASCII));
        assertThat(server.send("GET", "/api/v1/recordings/" + id, null).statusCode()).isEqualTo(200);
    }

    @Test
    void pipelinedRequestsAfterADownloadAreAnsweredInOrder() throws Exception {
        byte[] file = new byte[300_000];
        new Random(3).nextBytes(file);
        String id = recordAndStop(file, new byte[10]);
        String req = "GET /api/v1/recordings/" + id + "/files/dr-1.webm HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                + ApiTestServer.KEY + "\r\n\r\n"
                + "GET /api/v1/recordings/" + id + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + ApiTestServer.KEY
                + "\r\nConnection: close\r\n\r\n";
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(req.getBytes(StandardCharsets.US_ASCII));
            byte[] all = s.getInputStream().readAllBytes();
            String head = new String(all, 0, 400, StandardCharsets.ISO_8859_1);
            assertThat(head).startsWith("HTTP/1.1 200 OK").contains("content-length: " + file.length);
            int bodyAt = indexOf(all, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII)) + 4;
            byte[] body = java.util.Arrays.copyOfRange(all, bodyAt, bodyAt + file.length);
            assertThat(body).isEqualTo(file);
            String rest = new String(all, bodyAt + file.length, all.length - bodyAt - file.length, StandardCharsets.UTF_8);
            assertThat(rest).startsWith("HTTP/1.1 200 OK").contains("\"recordingId\":\"" + id + "\"");
        }
    }

    private static int indexOf(byte[] a, byte[] b) {
        outer:
        for (int i = 0; i <= a.length - b.length; i++) {
            for (int j = 0; j < b.length; j++) {
                if (a[i + j] != b[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void anEncryptedRecordingIsServedAsOctetStreamWithTheEncryptionHeader() throws Exception {
        rooms.encrypted = true;
        String id = recordAndStop(new byte[] {1, 2, 3}, new byte[] {4});
        assertThat(json(server.send("GET", "/api/v1/recordings/" + id, null)).get("encrypted").asBoolean()).isTrue();
        HttpResponse<byte[]> r = download("/api/v1/recordings/" + id + "/files/pat-1.webm", "Bearer " + ApiTestServer.KEY);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).contains("application/octet-stream");
        assertThat(r.headers().firstValue("X-MediBridge-Encrypted")).contains("aes-256-gcm-chunked");
        assertThat(r.body()).containsExactly(4);
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", ".", "recording.json", "recording.json.tmp", "..%2Frecording.json", "%2e%2e",
        "dr-1.webm%00", "secret.webm", "DR-1.WEBM", "dr-1.webm.", "..%2F..%2Fvisit-2"})
    void onlyTheRecordingsOwnFilesCanBeDownloaded(String name) throws Exception {
        String id = recordAndStop(new byte[10], new byte[10]);
        // a file in the directory that the metadata does not list
        Files.write(catalog.pathFor(id, "secret.webm"), new byte[5]);
        HttpResponse<byte[]> r = download("/api/v1/recordings/" + id + "/files/" + name, "Bearer " + ApiTestServer.KEY);
        assertThat(r.statusCode()).as(name).isEqualTo(404);
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("\"code\":\"file_not_found\"");
        assertThat(server.audit.events).noneMatch(e -> e.event().equals("recording_downloaded"));
    }

    @Test
    void aFileOfAnUnknownRecordingIs404AndOfAnActiveOne409() throws Exception {
        HttpResponse<byte[]> r = download("/api/v1/recordings/rec-nope/files/dr-1.webm", "Bearer " + ApiTestServer.KEY);
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("recording_not_found");
        rooms.join("visit-1", "dr-1");
        String id = request();
        Files.write(catalog.pathFor(id, "dr-1.webm"), new byte[3]);
        RecordingMeta m = catalog.get(id).orElseThrow();
        catalog.update(m.withParticipants(List.of(
                new RecordingMeta.Participant("dr-1", "Dr", "doctor", FakeRecordingBackend.AT, "dr-1.webm", 3))));
        r = download("/api/v1/recordings/" + id + "/files/dr-1.webm", "Bearer " + ApiTestServer.KEY);
        assertThat(r.statusCode()).isEqualTo(409);
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("recording_active");
    }

    @Test
    void downloadAndDeleteNeedTheKey() throws Exception {
        String id = recordAndStop(new byte[10], new byte[10]);
        HttpResponse<byte[]> r = download("/api/v1/recordings/" + id + "/files/dr-1.webm", null);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate")).isPresent();
        r = download("/api/v1/recordings/" + id + "/files/dr-1.webm", "Bearer wrong");
        assertThat(r.statusCode()).isEqualTo(401);
        assertError(server.send("DELETE", "/api/v1/recordings/" + id, null, null), 401, "unauthorized");
        assertError(server.send("POST", A + "/recordings", null, "Bearer nope"), 401, "unauthorized");
        assertThat(catalog.get(id)).isPresent();
    }

    @Test
    void deleteRemovesFilesAndMetadataAndIsAudited() throws Exception {
        String id = recordAndStop(new byte[10], new byte[10]);
        Path recDir = catalog.pathFor(id, "dr-1.webm").getParent();
        assertThat(server.send("DELETE", "/api/v1/recordings/" + id, null).statusCode()).isEqualTo(204);
        assertThat(recDir).doesNotExist();
        assertThat(recDir.getParent()).doesNotExist();
        assertError(server.send("GET", "/api/v1/recordings/" + id, null), 404, "recording_not_found");
        assertThat(json(server.send("GET", A + "/recordings", null)).get("recordings")).isEmpty();
        assertError(server.send("DELETE", "/api/v1/recordings/" + id, null), 404, "recording_not_found");
        assertThat(server.audit.events).anySatisfy(e -> {
            assertThat(e.event()).isEqualTo("recording_deleted");
            assertThat(e.fields()).containsEntry("by", "api").containsEntry("recordingId", id)
                    .containsEntry("files", "dr-1.webm,pat-1.webm");
        });
    }

    @Test
    void deleteOfAnActiveRecordingIs409AndDeletesNothing() {
        rooms.join("visit-1", "dr-1");
        String id = request();
        assertError(server.send("DELETE", "/api/v1/recordings/" + id, null), 409, "recording_active");
        assertThat(catalog.get(id)).isPresent();
    }

    @Test
    void deleteWithTheAuditLogDownIs503AndDeletesNothing() throws Exception {
        String id = recordAndStop(new byte[10], new byte[10]);
        server.audit.failing = true;
        assertError(server.send("DELETE", "/api/v1/recordings/" + id, null), 503, "audit_unavailable");
        assertThat(catalog.fileOf(id, "dr-1.webm")).isPresent();
        HttpResponse<byte[]> r = download("/api/v1/recordings/" + id + "/files/dr-1.webm", "Bearer " + ApiTestServer.KEY);
        assertThat(r.statusCode()).isEqualTo(503);
    }

    @Test
    void recordingsOutliveTheirAppointment() throws Exception {
        // the appointment store is in memory: after a restart the recording is still listed and served
        String id = recordAndStop(new byte[10], new byte[10]);
        server.store.delete("visit-1");
        JsonNode list = json(server.send("GET", A + "/recordings", null));
        assertThat(list.get("recordings")).extracting(n -> n.get("recordingId").asText()).containsExactly(id);
    }

    @Test
    void wrongMethodsAre405AndUnknownRoutes404() {
        HttpResponse<String> r = server.send("PUT", "/api/v1/recordings/rec-1", "{}");
        assertError(r, 405, "method_not_allowed");
        assertThat(r.headers().firstValue("Allow")).contains("GET, DELETE");
        assertError(server.send("DELETE", A + "/recordings", null), 405, "method_not_allowed");
        assertError(server.send("GET", A + "/recordings/rec-1/stop", null), 405, "method_not_allowed");
        assertError(server.send("POST", "/api/v1/recordings/rec-1/files/x.webm", null), 405, "method_not_allowed");
        assertError(server.send("GET", "/api/v1/recordings", null), 404, "not_found");
        assertError(server.send("GET", "/api/v1/recordings/rec-1/files", null), 404, "not_found");
        assertError(server.send("GET", A + "/recordings/rec-1", null), 404, "not_found");
    }

    @Test
    void withoutRecordingConfiguredRequestsAre409AndNothingIsListed() throws Exception {
        try (ApiTestServer plain = ApiTestServer.start()) {
            ObjectNode b = AppointmentBodies.valid();
            b.put("id", "visit-1");
            assertThat(plain.send("POST", "/api/v1/appointments", b.toString()).statusCode()).isEqualTo(201);
            assertError(plain.send("POST", A + "/recordings", null), 409, "recording_unavailable");
            assertThat(json(plain.send("GET", A + "/recordings", null)).get("recordings")).isEmpty();
            assertError(plain.send("GET", "/api/v1/recordings/rec-1", null), 404, "recording_not_found");
            assertError(plain.send("POST", A + "/recordings/rec-1/stop", null), 404, "recording_not_found");
        }
    }
}

package org.medibridge.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.medibridge.e2e.AppointmentServerExtension.ApiResult;
import org.medibridge.e2e.BrowserPage.PageEvent;

/**
 * Consent-gated recording in Chromium, through the appointment links: the doctor asks, every page
 * shows the consent dialog, and only when everyone said yes does the server write one WebM per
 * participant, which Debian's ffprobe must read as VP8 + Opus with the duration the pages saw, and
 * ffmpeg must decode without a single error. A "no" leaves no file; a withdrawal stops the
 * recording at once and what was written so far stays valid.
 */
class RecordingE2ETest extends ChromiumE2ETest {
    private static final Path FFPROBE = Path.of("/usr/bin/ffprobe");
    private static final Path FFMPEG = Path.of("/usr/bin/ffmpeg");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration UI = Duration.ofSeconds(15);

    @RegisterExtension
    static final AppointmentServerExtension SERVER = new AppointmentServerExtension().withRecordings();

    @TempDir
    Path downloads;

    @BeforeAll
    static void needFfmpeg() {
        BrowserRequirement.require(Files.isExecutable(FFPROBE) && Files.isExecutable(FFMPEG),
                "needs /usr/bin/ffprobe and /usr/bin/ffmpeg (Debian's ffmpeg)");
    }

    /** An appointment without waiting room, both in the call, seeing and hearing each other. */
    private record Visit(String id, String doctorId, String patientId, BrowserPage doctor, BrowserPage patient) {
        void close() {
            for (BrowserPage p : List.of(doctor, patient)) {
                try {
                    p.closeWindow();
                } catch (RuntimeException e) {
                    // already gone
                }
            }
        }
    }

    private static Visit startVisit(String tag) {
        String id = "rec-e2e-" + tag;
        String doctorId = "dr-" + tag;
        String patientId = "pat-" + tag;
        Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        ApiResult created = SERVER.api("POST", "/api/v1/appointments", Map.of(
                "id", id,
                "start", start.toString(),
                "end", start.plus(Duration.ofMinutes(30)).toString(),
                "waitingRoom", false,
                "doctor", Map.of("id", doctorId, "name", "Dr. Grey"),
                "patients", List.of(Map.of("id", patientId, "name", "Pat Smith"))));
        assertThat(created.status()).as("POST /api/v1/appointments: %s", created.body()).isEqualTo(201);
        BrowserPage doctor = browser.openUrl(joinUrl(created.json(), doctorId), "Dr. Grey").waitJoined(Duration.ofSeconds(20));
        BrowserPage patient = browser.openUrl(joinUrl(created.json(), patientId), "Pat Smith").waitJoined(Duration.ofSeconds(20));
        assertThat(doctor.participantId()).isEqualTo(doctorId);
        assertThat(patient.participantId()).isEqualTo(patientId);
        MediaChecks.awaitReceiving(List.of(new MediaChecks.Flow(doctor, patient), new MediaChecks.Flow(patient, doctor)),
                320, Duration.ofSeconds(30));
        return new Visit(id, doctorId, patientId, doctor, patient);
    }

    private static String joinUrl(JsonNode appointment, String participantId) {
        for (JsonNode p : appointment.path("participants")) {
            if (participantId.equals(p.path("id").asText())) {
                return p.path("joinUrl").asText();
            }
        }
        throw new AssertionError("no participant " + participantId + " in " + appointment);
    }

    // ------------------------------------------------------------------ the tests

    @Test
    void everyoneConsentsTheDoctorStopsAndBothFilesArePlayableVp8AndOpus() throws Exception {
        Visit v = startVisit("yes");
        try {
            String recordingId = requestAndConsent(v);
            PageEvent[] started = {awaitState(v.doctor(), recordingId, "recording", null), awaitState(v.patient(), recordingId,
                    "recording", null)};
            assertThat(indicator(v.doctor())).isEqualTo("recording");
            assertThat(indicator(v.patient())).isEqualTo("recording");
            MediaChecks.sleep(10_000);

            assertThat(text(v.doctor(), "btn-record")).isEqualTo("Stop recording");
            v.doctor().click("btn-record");
            PageEvent[] stopped = {awaitState(v.doctor(), recordingId, "stopped", "stopped"),
                awaitState(v.patient(), recordingId, "stopped", "stopped")};
            double seconds = (stopped[0].at() - started[0].at()) / 1000.0;
            double patientSeconds = (stopped[1].at() - started[1].at()) / 1000.0;
            assertThat(seconds).as("recorded time on the doctor's page").isBetween(9.5, 20.0);
            assertThat(Math.abs(seconds - patientSeconds)).as("both pages saw the same recording time").isLessThan(0.5);
            assertThat(indicator(v.doctor())).isEqualTo("stopped");
            assertThat(text(v.doctor(), "btn-record")).isEqualTo("Record");

            JsonNode rec = awaitFinalized(v, recordingId, 2);
            assertThat(rec.path("stopReason").asText()).isEqualTo("stopped");
            assertThat(rec.path("participants")).extracting(p -> p.path("participantId").asText())
                    .containsExactlyInAnyOrder(v.doctorId(), v.patientId());
            assertThat(rec.path("consents")).extracting(c -> c.path("participantId").asText() + "=" + c.path("consent").asBoolean())
                    .contains(v.doctorId() + "=true", v.patientId() + "=true");
            for (JsonNode f : rec.path("files")) {
                Path file = download(recordingId, f);
                assertPlayable(file, seconds);
            }
            assertThat(Files.readString(SERVER.auditLog())).contains("recording_requested", "recording_consent",
                    "recording_started", "recording_stopped", recordingId);
        } finally {
            v.close();
        }
    }

    @Test
    void aPatientWhoSaysNoStopsItBeforeAnythingIsWritten() throws Exception {
        Visit v = startVisit("no");
        try {
            v.doctor().click("btn-record");
            String recordingId = awaitConsentDialog(v.doctor());
            assertThat(awaitConsentDialog(v.patient())).isEqualTo(recordingId);
            v.patient().click("btn-consent-no");
            PageEvent atDoctor = awaitState(v.doctor(), recordingId, "stopped", "consent_refused");
            assertThat(atDoctor.detail().path("by").asText()).isEqualTo(v.patientId());
            awaitState(v.patient(), recordingId, "stopped", "consent_refused");
            assertThat(v.doctor().event("recording-state", d -> "recording".equals(d.path("state").asText()))).isEmpty();
            Poll.until("the doctor's consent dialog is closed", UI, () -> consentDialog(v.doctor()), x -> x == null);
            assertThat(indicator(v.doctor())).isEqualTo("stopped");
            assertThat(text(v.doctor(), "recording-text")).contains("Pat Smith").contains("did not agree");
            assertThat(text(v.doctor(), "btn-record")).isEqualTo("Record");

            ApiResult list = SERVER.api("GET", "/api/v1/appointments/" + v.id() + "/recordings", null);
            assertThat(list.status()).as(list.body()).isEqualTo(200);
            assertThat(list.json().path("recordings")).hasSize(1);
            JsonNode rec = list.json().path("recordings").get(0);
            assertThat(rec.path("state").asText()).isEqualTo("stopped");
            assertThat(rec.path("stopReason").asText()).isEqualTo("consent_refused");
            assertThat(rec.path("startedAt").isNull()).as("never started").isTrue();
            assertThat(rec.path("files")).isEmpty();
            assertThat(webmFiles(v.id())).as(".webm files of appointment " + v.id()).isEmpty();
        } finally {
            v.close();
        }
    }

    @Test
    void aWithdrawalMidWayStopsItForEveryoneAndTheFilesStayValid() throws Exception {
        Visit v = startVisit("withdraw");
        try {
            String recordingId = requestAndConsent(v);
            PageEvent started = awaitState(v.doctor(), recordingId, "recording", null);
            awaitState(v.patient(), recordingId, "recording", null);
            Poll.until("the patient can withdraw", UI, () -> visible(v.patient(), "btn-withdraw-consent"), Boolean.TRUE::equals);
            MediaChecks.sleep(5_000);

            v.patient().click("btn-withdraw-consent");
            PageEvent stopped = awaitState(v.doctor(), recordingId, "stopped", "consent_withdrawn");
            assertThat(stopped.detail().path("by").asText()).isEqualTo(v.patientId());
            PageEvent atPatient = awaitState(v.patient(), recordingId, "stopped", "consent_withdrawn");
            assertThat(atPatient.detail().path("by").asText()).isEqualTo(v.patientId());
            assertThat(text(v.doctor(), "recording-text")).contains("withdrew consent");
            assertThat(visible(v.patient(), "btn-withdraw-consent")).isFalse();
            double seconds = (stopped.at() - started.at()) / 1000.0;

            JsonNode rec = awaitFinalized(v, recordingId, 2);
            assertThat(rec.path("stopReason").asText()).isEqualTo("consent_withdrawn");
            assertThat(rec.path("consents")).extracting(c -> c.path("participantId").asText() + "=" + c.path("consent").asBoolean())
                    .contains(v.patientId() + "=true", v.patientId() + "=false");
            for (JsonNode f : rec.path("files")) {
                assertPlayable(download(recordingId, f), seconds);
            }
        } finally {
            v.close();
        }
    }

    // ------------------------------------------------------------------ steps

    /** The doctor clicks Record, both pages show the dialog for the same recording, both say yes. */
    private static String requestAndConsent(Visit v) {
        assertThat(text(v.doctor(), "btn-record")).isEqualTo("Record");
        v.doctor().click("btn-record");
        String recordingId = awaitConsentDialog(v.doctor());
        assertThat(awaitConsentDialog(v.patient())).as("the patient is asked about the same recording").isEqualTo(recordingId);
        assertThat(v.patient().event("recording-consent-request",
                d -> recordingId.equals(d.path("recordingId").asText())
                        && v.doctorId().equals(d.path("requestedBy").asText()))).isPresent();
        assertThat(text(v.patient(), "consent-text")).contains("What is recorded").contains("Who can see it");
        // Nothing is recorded yet: requested, waiting for the consents.
        awaitState(v.doctor(), recordingId, "requested", null);
        assertThat(v.doctor().event("recording-state", d -> "recording".equals(d.path("state").asText()))).isEmpty();
        v.doctor().click("btn-consent-yes");
        v.patient().click("btn-consent-yes");
        for (BrowserPage p : List.of(v.doctor(), v.patient())) {
            Poll.until(p.name() + "'s consent dialog closed", UI, () -> consentDialog(p), x -> x == null);
        }
        return recordingId;
    }

    private static String awaitConsentDialog(BrowserPage page) {
        return Poll.until(page.name() + " shows the recording consent dialog", UI, () -> consentDialog(page), x -> x != null);
    }

    /** The recording id of the open consent dialog, or null when it is closed. */
    private static String consentDialog(BrowserPage page) {
        return (String) page.js("const d = document.getElementById('consent-dialog');"
                + " return d && d.open ? (d.dataset.recordingId || '') : null;");
    }

    /** The first {@code recording-state} event of this recording with {@code state} (and {@code reason}, if given). */
    private static PageEvent awaitState(BrowserPage page, String recordingId, String state, String reason) {
        return Poll.until(page.name() + " gets recording-state " + state + (reason == null ? "" : " (" + reason + ")"),
                UI, () -> page.event("recording-state", d -> recordingId.equals(d.path("recordingId").asText())
                        && state.equals(d.path("state").asText())
                        && (reason == null || reason.equals(d.path("reason").asText()))).orElse(null),
                e -> e != null);
    }

    private static String indicator(BrowserPage page) {
        return (String) page.js("return document.getElementById('recording-indicator').dataset.state;");
    }

    private static String text(BrowserPage page, String id) {
        return (String) page.js("const e = document.getElementById(arguments[0]); return e ? e.textContent.trim() : null;", id);
    }

    private static Boolean visible(BrowserPage page, String id) {
        return (Boolean) page.js("const e = document.getElementById(arguments[0]);"
                + " return !!e && !e.hidden && e.offsetParent !== null;", id);
    }

    /**
     * Polls the API (every 500 ms) until the appointment has exactly one recording, stopped, with
     * {@code files} files, each saved in the metadata with a size and unchanged on disk for 1.5 s
     * (the recorders finalized them: cues and duration written): the finalized recording.
     */
    private static JsonNode awaitFinalized(Visit v, String recordingId, int files) {
        List<String> last = new ArrayList<>();
        int[] stable = {0};
        return Poll.until("recording " + recordingId + " stopped with " + files + " finalized files", Duration.ofSeconds(30),
                Duration.ofMillis(500), () -> {
                    ApiResult r = SERVER.api("GET", "/api/v1/appointments/" + v.id() + "/recordings", null);
                    assertThat(r.status()).as(r.body()).isEqualTo(200);
                    assertThat(r.json().path("recordings")).hasSize(1);
                    return r.json().path("recordings").get(0);
                },
                rec -> {
                    if (!recordingId.equals(rec.path("recordingId").asText()) || !"stopped".equals(rec.path("state").asText())
                            || rec.path("files").size() != files) {
                        return false;
                    }
                    List<String> sizes = new ArrayList<>();
                    for (JsonNode f : rec.path("files")) {
                        sizes.add(f.path("name").asText() + "=" + f.path("bytes").asLong(-1));
                        if (f.path("bytes").asLong(-1) <= 0) {
                            return false;
                        }
                    }
                    for (JsonNode p : rec.path("participants")) {
                        if (p.path("bytes").asLong(0) <= 0) {
                            return false;
                        }
                    }
                    stable[0] = sizes.equals(last) ? stable[0] + 1 : 0;
                    last.clear();
                    last.addAll(sizes);
                    return stable[0] >= 3;
                });
    }

    /** Downloads one file through the API into the test's directory; checks the headers of an unencrypted file. */
    private Path download(String recordingId, JsonNode file) throws IOException, InterruptedException {
        String name = file.path("name").asText();
        assertThat(file.path("url").asText()).isEqualTo("/api/v1/recordings/" + recordingId + "/files/" + name);
        HttpRequest req = HttpRequest.newBuilder(URI.create(SERVER.baseUrl() + file.path("url").asText()))
                .header("Authorization", "Bearer " + SERVER.apiKey()).timeout(Duration.ofSeconds(30)).GET().build();
        Path out = downloads.resolve(recordingId + "-" + name);
        HttpResponse<Path> res = HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofFile(out));
        assertThat(res.statusCode()).as("download of " + name).isEqualTo(200);
        assertThat(res.headers().firstValue("Content-Type")).contains("video/webm");
        assertThat(res.headers().firstValue("X-MediBridge-Encrypted")).isEmpty();
        assertThat(Files.size(out)).isEqualTo(file.path("bytes").asLong());
        Path stored = SERVER.recordingsDir().resolve(recordingIdDir(recordingId)).resolve(name);
        assertThat(Files.mismatch(out, stored)).as("the download is the stored file").isEqualTo(-1L);
        return out;
    }

    /** {@code <appointmentId>/<recordingId>} under the recordings directory. */
    private static Path recordingIdDir(String recordingId) throws IOException {
        try (Stream<Path> s = Files.walk(SERVER.recordingsDir(), 2)) {
            return s.filter(p -> p.getFileName().toString().equals(recordingId)).findFirst()
                    .map(p -> SERVER.recordingsDir().relativize(p))
                    .orElseThrow(() -> new AssertionError("no directory of " + recordingId));
        }
    }

    private static List<Path> webmFiles(String appointmentId) throws IOException {
        Path dir = SERVER.recordingsDir().resolve(appointmentId);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".webm")).toList();
        }
    }

    /** ffprobe: VP8 and Opus, duration within 1 s of {@code seconds}; ffmpeg decodes it all without a word on stderr. */
    private static void assertPlayable(Path file, double seconds) throws IOException, InterruptedException {
        Run probe = run(FFPROBE.toString(), "-v", "error", "-show_entries", "stream=codec_name:format=duration",
                "-of", "json", file.toString());
        assertThat(probe.exit()).as("ffprobe %s: %s", file.getFileName(), probe.stderr()).isZero();
        JsonNode n = JSON.readTree(probe.stdout());
        List<String> codecs = new ArrayList<>();
        n.path("streams").forEach(st -> codecs.add(st.path("codec_name").asText()));
        assertThat(codecs).as("codecs of %s (%s)", file.getFileName(), probe.stdout()).containsExactlyInAnyOrder("vp8", "opus");
        double duration = n.path("format").path("duration").asDouble(Double.NaN);
        assertThat(duration).as("duration of %s, recorded for %.2f s (%s)", file.getFileName(), seconds, probe.stdout())
                .isBetween(seconds - 1.0, seconds + 1.0);

        Run decode = run(FFMPEG.toString(), "-nostdin", "-v", "error", "-i", file.toString(),
                "-fps_mode", "passthrough", "-f", "null", "-");
        // The null muxer (ffmpeg's output side, "[null @ …]") complains about "non monotonically
        // increasing dts" when a CPU-starved test camera delivered frames a few ms apart; that is
        // about ffmpeg's re-timing of its own output, not the file. Every demuxer or decoder
        // error ("[matroska,webm @ …]", "[vp8 @ …]", "[opus @ …]") still fails the test.
        String errors = decode.stderr().lines()
                .filter(l -> !(l.startsWith("[null @") && l.contains("non monotonically increasing dts")))
                .collect(java.util.stream.Collectors.joining("\n"));
        if (!errors.equals(decode.stderr().strip())) {
            System.out.println("RecordingE2ETest: ffmpeg's null muxer re-timed close frames in " + file.getFileName());
        }
        assertThat(errors).as("ffmpeg errors decoding %s", file.getFileName()).isEmpty();
        assertThat(decode.exit()).as("ffmpeg exit code for %s", file.getFileName()).isZero();
    }

    private record Run(int exit, String stdout, String stderr) {
    }

    private static Run run(String... command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("medibridge-ff-", ".out");
        Path err = Files.createTempFile("medibridge-ff-", ".err");
        try {
            Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(90, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out: " + String.join(" ", command));
            }
            return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}

package org.medibridge.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.medibridge.e2e.AppointmentServerExtension.ApiResult;
import org.medibridge.e2e.BrowserPage.Inbound;
import org.medibridge.e2e.BrowserPage.StatsSample;

/**
 * A whole appointment in Chromium, through the join links the REST API hands out: the patient waits
 * and gets no media; the doctor admits; both see and hear each other; the doctor mutes the patient's
 * audio and the SFU stops forwarding it (even from a client that ignores the mute); the doctor ends
 * the visit and both pages are disconnected with reason {@code ended}.
 */
class AppointmentVisitE2ETest extends ChromiumE2ETest {

    private static final String DOCTOR_ID = "dr-e2e";
    private static final String PATIENT_ID = "pat-e2e";

    @RegisterExtension
    static final AppointmentServerExtension SERVER = new AppointmentServerExtension();


    @Test
    void patientWaitsDoctorAdmitsMutesAndEndsTheVisit() {
        assertThat(SERVER.apiKey()).as("the server's API key is the configured one").isEqualTo(SERVER.configuredApiKey());

        // --- the booking system creates the appointment: now .. now + 30 min, a doctor and one patient
        Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        ApiResult created = SERVER.api("POST", "/api/v1/appointments", Map.of(
                "start", start.toString(),
                "end", start.plus(Duration.ofMinutes(30)).toString(),
                "doctor", Map.of("id", DOCTOR_ID, "name", "Dr. Grey"),
                "patients", List.of(Map.of("id", PATIENT_ID, "name", "Pat Smith"))));
        assertThat(created.status()).as("POST /api/v1/appointments: %s", created.body()).isEqualTo(201);
        String doctorUrl = joinUrl(created.json(), DOCTOR_ID, "doctor");
        String patientUrl = joinUrl(created.json(), PATIENT_ID, "patient");

        // --- the patient opens their link first: the waiting screen, no one to see, nothing received
        BrowserPage patient = browser.openUrl(patientUrl, "Pat Smith").waitJoined(Duration.ofSeconds(20));
        assertThat(patient.participantId()).isEqualTo(PATIENT_ID);
        Poll.until("the patient's page shows the waiting screen", Duration.ofSeconds(10), () -> view(patient),
                v -> "waiting".equals(v.path("admission").asText()) && "waiting-screen".equals(v.path("view").asText()));
        assertThat(attr(patient, "doctor-status", "doctorPresent")).as("doctor present, before the doctor joined")
                .isEqualTo("false");
        // The server answers the waiting patient's publisher as usual: their media reaches the SFU ...
        Poll.until("the waiting patient's camera is being sent to the server", Duration.ofSeconds(20),
                patient::sample, s -> s.outbound("video").map(o -> o.bytesSent() > 0).orElse(false));

        // --- the doctor opens their link: the patient is on the waiting list, the patient sees the doctor is here
        BrowserPage doctor = browser.openUrl(doctorUrl, "Dr. Grey").waitJoined(Duration.ofSeconds(20));
        assertThat(doctor.participantId()).isEqualTo(DOCTOR_ID);
        assertThat(view(doctor).path("role").asText()).isEqualTo("doctor");
        Poll.until("the doctor sees the patient in the waiting list", Duration.ofSeconds(10), () -> waitingIds(doctor),
                ids -> ids.contains(PATIENT_ID));
        assertThat(text(doctor, "#waiting-" + PATIENT_ID + " .name")).isEqualTo("Pat Smith");
        Poll.until("the waiting patient is told the doctor is here", Duration.ofSeconds(10),
                () -> attr(patient, "doctor-status", "doctorPresent"), "true"::equals);
        Poll.until("the doctor's camera is being sent to the server", Duration.ofSeconds(20),
                doctor::sample, s -> s.outbound("video").map(o -> o.bytesSent() > 0).orElse(false));

        // ... but nothing flows to or from a waiting participant, also while the doctor is present
        holdsFor("the waiting patient receives no media and the doctor nothing from them", Duration.ofSeconds(4),
                () -> {
                    StatsSample atDoctor = doctor.sample();
                    return new NoMedia(patient.js("return window.mediBridge.subscriberPc === null;"),
                            patient.sample().totalBytesReceived(), patient.remoteTracks().size(), patient.tileIds(),
                            atDoctor.totalBytesReceived(), doctor.tileIds(), view(patient).path("admission").asText());
                },
                n -> Boolean.TRUE.equals(n.noSubscriberPc()) && n.patientBytesIn() == 0 && n.patientRemoteTracks() == 0
                        && n.patientTiles().isEmpty() && n.doctorBytesFromPatient() == 0 && n.doctorTiles().isEmpty()
                        && "waiting".equals(n.patientAdmission()));

        // --- the doctor admits the patient: both decode each other's video and hear each other
        doctor.click("btn-admit-" + PATIENT_ID);
        Poll.until("the patient is admitted (call view)", Duration.ofSeconds(10), () -> view(patient),
                v -> "admitted".equals(v.path("admission").asText()) && "call".equals(v.path("view").asText()));
        Poll.until("the waiting list is empty", Duration.ofSeconds(10), () -> waitingIds(doctor), List::isEmpty);
        MediaChecks.Flow patientToDoctor = new MediaChecks.Flow(doctor, patient);
        MediaChecks.Flow doctorToPatient = new MediaChecks.Flow(patient, doctor);
        MediaChecks.awaitReceiving(List.of(patientToDoctor, doctorToPatient), 320, Duration.ofSeconds(30));
        assertThat(doctor.tileIds()).containsExactly(PATIENT_ID);
        assertThat(patient.tileIds()).containsExactly(DOCTOR_ID);
        assertThat(doctor.tileName(PATIENT_ID)).contains("Pat Smith");
        assertThat(patient.tileName(DOCTOR_ID)).contains("Dr. Grey");
        // the patient's audio energy is rising on the doctor's page (the baseline the mute is judged by)
        awaitAudioEnergyRising(doctor, PATIENT_ID, "before the mute");

        // --- the doctor mutes the patient's audio
        doctor.click("btn-mute-audio-" + PATIENT_ID);
        Poll.until("the patient's page reflects the mute (mic track disabled, button shows Unmute)",
                Duration.ofSeconds(10), () -> patient.jsJson("(() => { const c = window.mediBridge;"
                        + " return { audio: c.audioEnabled, tracks: c.localStream.getAudioTracks().map(t => t.enabled),"
                        + " pressed: document.getElementById('btn-mute').getAttribute('aria-pressed') }; })()"),
                n -> !n.path("audio").asBoolean(true) && "true".equals(n.path("pressed").asText())
                        && n.path("tracks").size() > 0 && !n.path("tracks").get(0).asBoolean(true));
        assertThat(patient.event("muted", d -> d.path("audio").asBoolean())).as("the patient got 'muted'").isPresent();
        Poll.until("the doctor's page shows the patient muted", Duration.ofSeconds(10),
                () -> doctor.js("const li = document.getElementById('participant-' + arguments[0]);"
                        + " return li ? li.dataset.audio : null;", PATIENT_ID), "false"::equals);
        // A client that ignores the mute (its microphone switched back on behind the server's back, no
        // media-state) must still not be heard: the SFU enforces the mute, not the page.
        patient.js("window.mediBridge.localStream.getAudioTracks().forEach((t) => { t.enabled = true; });");
        List<StatsSample> flat = awaitAudioFlat(doctor, PATIENT_ID, Duration.ofMillis(2500), Duration.ofSeconds(20));
        // video was not muted: it keeps flowing over the same window
        long framesBefore = flat.get(0).from(PATIENT_ID, "video").map(Inbound::framesDecoded).orElse(0L);
        long framesAfter = flat.get(flat.size() - 1).from(PATIENT_ID, "video").map(Inbound::framesDecoded).orElse(0L);
        assertThat(framesAfter).as("the patient's video frames decoded by the doctor while audio is muted")
                .isGreaterThan(framesBefore);

        // --- the patient unmutes themselves (media-state audio: true): the doctor hears them again
        patient.clickMute();
        Poll.until("the patient's page is unmuted", Duration.ofSeconds(5),
                () -> patient.js("return window.mediBridge.audioEnabled;"), Boolean.TRUE::equals);
        awaitAudioEnergyRising(doctor, PATIENT_ID, "after the patient unmuted themselves");

        // --- the doctor ends the visit (with a confirmation): both pages are disconnected with reason 'ended'
        doctor.click("btn-end-visit");
        Poll.until("the end-visit confirmation is open", Duration.ofSeconds(5), () -> doctor.js(
                "const d = document.getElementById('confirm-dialog'); return d.open && d.dataset.action === 'end-visit';"),
                Boolean.TRUE::equals);
        doctor.click("btn-confirm-ok");
        for (BrowserPage page : List.of(doctor, patient)) {
            Poll.until(page.name() + " disconnected with reason 'ended'", Duration.ofSeconds(15),
                    () -> page.js("return document.body.dataset.state + '/' + (document.body.dataset.closedReason || '');"),
                    "closed/ended"::equals);
            assertThat(page.event("closed", d -> "ended".equals(d.path("reason").asText()))).isPresent();
            assertThat(page.snapshot().path("client").path("localTracks"))
                    .allSatisfy(t -> assertThat(t.path("readyState").asText()).isEqualTo("ended"));
        }
        assertThat(text(patient, "#left-title")).isEqualTo("This visit has ended");
    }

    // ------------------------------------------------------------------ helpers

    private record NoMedia(Object noSubscriberPc, long patientBytesIn, int patientRemoteTracks, List<String> patientTiles,
            long doctorBytesFromPatient, List<String> doctorTiles, String patientAdmission) {
    }

    /** The {@code joinUrl} of one participant of the created appointment (checked for id and role). */
    private static String joinUrl(JsonNode appointment, String participantId, String role) {
        for (JsonNode p : appointment.path("participants")) {
            if (participantId.equals(p.path("id").asText())) {
                assertThat(p.path("role").asText()).as("role of %s", participantId).isEqualTo(role);
                String url = p.path("joinUrl").asText("");
                assertThat(url).as("joinUrl of %s", participantId).contains("?token=");
                return url;
            }
        }
        throw new AssertionError("no participant " + participantId + " in " + appointment);
    }

    /** The app's view of itself: {view, role, admission, ...}. */
    private static JsonNode view(BrowserPage page) {
        return page.snapshot();
    }

    private static List<String> waitingIds(BrowserPage page) {
        List<String> ids = new ArrayList<>();
        page.jsJson("window.mediBridgeApp.waitingIds()").forEach(n -> ids.add(n.asText()));
        return ids;
    }

    private static String attr(BrowserPage page, String id, String dataKey) {
        return (String) page.js("const e = document.getElementById(arguments[0]); return e ? e.dataset[arguments[1]] : null;",
                id, dataKey);
    }

    private static String text(BrowserPage page, String selector) {
        return (String) page.js("const e = document.querySelector(arguments[0]); return e ? e.textContent : null;", selector);
    }

    private static double energy(StatsSample s, String from) {
        return s.from(from, "audio").map(Inbound::totalAudioEnergy).orElse(0.0);
    }

    private static long packets(StatsSample s, String from) {
        return s.from(from, "audio").map(Inbound::packetsReceived).orElse(0L);
    }

    /** Polls until the receiver's totalAudioEnergy from {@code from} grows between two samples. */
    private static void awaitAudioEnergyRising(BrowserPage receiver, String from, String when) {
        double[] first = {Double.NaN};
        Poll.until(receiver.name() + " hears " + from + " (audio energy rising) " + when, Duration.ofSeconds(20),
                Duration.ofMillis(300), () -> energy(receiver.sample(), from), e -> {
                    if (Double.isNaN(first[0])) {
                        first[0] = e;
                        return false;
                    }
                    return e > first[0];
                });
    }

    /**
     * Samples every 250 ms until the receiver's audio from {@code from} has stayed flat (no new energy,
     * no new RTP packets) over at least {@code window}; returns the samples of that window.
     */
    private static List<StatsSample> awaitAudioFlat(BrowserPage receiver, String from, Duration window, Duration timeout) {
        List<StatsSample> history = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            StatsSample s = receiver.sample();
            // keep only the trailing run of samples equal to the newest one
            if (!history.isEmpty()) {
                StatsSample last = history.get(history.size() - 1);
                if (energy(s, from) - energy(last, from) > 1e-9 || packets(s, from) != packets(last, from)) {
                    history.clear();
                }
            }
            history.add(s);
            double span = s.epochMs() - history.get(0).epochMs();
            if (span >= window.toMillis()) {
                return List.copyOf(history);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out after " + timeout.toMillis() + " ms waiting for " + receiver.name()
                        + " to stop receiving audio from " + from + " for " + window.toMillis() + " ms; last audio inbound: "
                        + s.from(from, "audio").map(Object::toString).orElse("(none)"));
            }
            MediaChecks.sleep(250);
        }
    }

    /** Fails as soon as {@code ok} does not hold; returns after it held for {@code duration} (sampled every 250 ms). */
    private static <T> void holdsFor(String what, Duration duration, Supplier<T> probe, Predicate<T> ok) {
        long end = System.nanoTime() + duration.toNanos();
        Optional<T> last = Optional.empty();
        do {
            T v = probe.get();
            if (!ok.test(v)) {
                throw new AssertionError("Expected for " + duration.toMillis() + " ms: " + what + "; but got " + v
                        + (last.isPresent() ? " (before: " + last.get() + ")" : ""));
            }
            last = Optional.ofNullable(v);
            MediaChecks.sleep(250);
        } while (System.nanoTime() < end);
    }
}

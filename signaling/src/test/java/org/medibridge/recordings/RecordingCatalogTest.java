package org.medibridge.recordings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medibridge.recordings.RecordingCatalog.DeleteResult;
import org.medibridge.recordings.RecordingMeta.Consent;
import org.medibridge.recordings.RecordingMeta.Participant;
import org.medibridge.recordings.RecordingMeta.State;

/** FileRecordingCatalog: layout, atomic JSON, recovery after a crash, file access rules, deletion, threads. */
class RecordingCatalogTest {
    static final Instant T0 = Instant.parse("2026-11-24T09:00:00Z");
    static final Clock CLOCK = Clock.fixed(T0.plusSeconds(3600), ZoneOffset.UTC);

    @TempDir
    Path dir;

    private FileRecordingCatalog open() throws Exception {
        return FileRecordingCatalog.open(dir, CLOCK);
    }

    private static RecordingMeta recording(String id, String appt, Instant at) {
        return RecordingMeta.requested(id, appt, "dr-1", at, false);
    }

    private static RecordingMeta recorded(RecordingMeta m) {
        return m.withState(State.RECORDING, T0.plusSeconds(5), null, null)
                .withParticipants(List.of(new Participant("dr-1", "Dr. Grey", "doctor", T0.plusSeconds(2), "dr-1.webm", 0),
                        new Participant("pat-1", "Pat Smith", "patient", T0.plusSeconds(4), "pat-1.webm", 0)))
                .withConsents(List.of(new Consent("dr-1", true, T0.plusSeconds(2)), new Consent("pat-1", true, T0.plusSeconds(4))));
    }

    @Test
    void createWritesTheDocumentedLayoutAndJson() throws Exception {
        FileRecordingCatalog c = open();
        RecordingMeta m = recorded(recording("rec-1", "visit-1", T0));
        c.create(recording("rec-1", "visit-1", T0));
        assertThat(dir.resolve("visit-1/rec-1/recording.json")).isRegularFile();
        assertThat(c.update(m.withState(State.STOPPED, m.startedAt(), T0.plusSeconds(20), "stopped"))).isTrue();
        Files.write(c.pathFor("rec-1", "dr-1.webm"), new byte[7]);
        assertThat(c.pathFor("rec-1", "dr-1.webm")).isEqualTo(dir.toAbsolutePath().resolve("visit-1/rec-1/dr-1.webm"));

        JsonNode j = new ObjectMapper().readTree(dir.resolve("visit-1/rec-1/recording.json").toFile());
        assertThat(j.get("recordingId").asText()).isEqualTo("rec-1");
        assertThat(j.get("appointmentId").asText()).isEqualTo("visit-1");
        assertThat(j.get("requestedBy").asText()).isEqualTo("dr-1");
        assertThat(j.get("requestedAt").asText()).isEqualTo("2026-11-24T09:00:00Z");
        assertThat(j.get("state").asText()).isEqualTo("stopped");
        assertThat(j.get("startedAt").asText()).isEqualTo("2026-11-24T09:00:05Z");
        assertThat(j.get("stoppedAt").asText()).isEqualTo("2026-11-24T09:00:20Z");
        assertThat(j.get("stopReason").asText()).isEqualTo("stopped");
        assertThat(j.get("encrypted").asBoolean()).isFalse();
        JsonNode p = j.get("participants").get(1);
        assertThat(p.get("participantId").asText()).isEqualTo("pat-1");
        assertThat(p.get("name").asText()).isEqualTo("Pat Smith");
        assertThat(p.get("role").asText()).isEqualTo("patient");
        assertThat(p.get("consentedAt").asText()).isEqualTo("2026-11-24T09:00:04Z");
        assertThat(p.get("file").asText()).isEqualTo("pat-1.webm");
        assertThat(p.has("bytes")).isTrue();
        assertThat(j.get("consents").get(0).get("consent").asBoolean()).isTrue();
        assertThat(j.get("consents").get(0).get("at").asText()).isEqualTo("2026-11-24T09:00:02Z");
        try (Stream<Path> s = Files.list(dir.resolve("visit-1/rec-1"))) {
            assertThat(s.map(x -> x.getFileName().toString())).containsExactlyInAnyOrder("recording.json", "dr-1.webm");
        }
        // JSON round trip
        assertThat(RecordingJson.fromJson(j)).isEqualTo(c.get("rec-1").orElseThrow());
    }

    @Test
    void listIsPerAppointmentOldestFirstAndSurvivesAReopen() throws Exception {
        FileRecordingCatalog c = open();
        c.create(recording("rec-b", "visit-1", T0.plusSeconds(60)));
        c.create(recording("rec-a", "visit-1", T0));
        c.create(recording("rec-c", "visit-2", T0));
        c.update(c.get("rec-a").orElseThrow().withState(State.STOPPED, null, T0.plusSeconds(3), "consent_refused"));
        assertThat(c.list("visit-1")).extracting(RecordingMeta::recordingId).containsExactly("rec-a", "rec-b");
        assertThat(c.list("visit-3")).isEmpty();
        FileRecordingCatalog again = open();
        assertThat(again.list("visit-1")).extracting(RecordingMeta::recordingId).containsExactly("rec-a", "rec-b");
        assertThat(again.get("rec-a").orElseThrow()).isEqualTo(c.get("rec-a").orElseThrow());
        assertThat(again.get("rec-c")).isPresent();
    }

    @Test
    void aRecordingLeftActiveByADeadProcessIsMarkedFailedOnOpen() throws Exception {
        FileRecordingCatalog c = open();
        c.create(recording("rec-1", "visit-1", T0));
        c.update(recorded(c.get("rec-1").orElseThrow()));
        Files.write(c.pathFor("rec-1", "dr-1.webm"), new byte[3]);
        Files.writeString(dir.resolve("visit-1/rec-1/recording.json.tmp"), "{half");
        RecordingMeta m = open().get("rec-1").orElseThrow();
        assertThat(m.state()).isEqualTo(State.STOPPED);
        assertThat(m.stopReason()).isEqualTo("failed");
        assertThat(m.stoppedAt()).isNotNull();
        assertThat(m.participants()).hasSize(2);
        assertThat(dir.resolve("visit-1/rec-1/recording.json.tmp")).doesNotExist();
        assertThat(new ObjectMapper().readTree(dir.resolve("visit-1/rec-1/recording.json").toFile()).get("state").asText())
                .isEqualTo("stopped");
    }

    @Test
    void createTwiceIsRefusedAndUpdateOfAnUnknownRecordingWritesNothing() throws Exception {
        FileRecordingCatalog c = open();
        c.create(recording("rec-1", "visit-1", T0));
        assertThatThrownBy(() -> c.create(recording("rec-1", "visit-1", T0))).isInstanceOf(IllegalStateException.class);
        assertThat(c.update(recording("rec-2", "visit-1", T0))).isFalse();
        assertThat(dir.resolve("visit-1/rec-2")).doesNotExist();
        assertThatThrownBy(() -> c.update(recording("rec-1", "visit-2", T0))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void badIdsAndFileNamesAreRefused() throws Exception {
        assertThatThrownBy(() -> recording("..", "visit-1", T0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> recording(".hidden", "visit-1", T0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> recording("rec/1", "visit-1", T0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> recording("rec-1", "../x", T0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Participant("p", "n", "patient", T0, "../x.webm", 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Participant("p", "n", "patient", T0, "recording.json", 0))
                .isInstanceOf(IllegalArgumentException.class);
        FileRecordingCatalog c = open();
        c.create(recording("rec-1", "visit-1", T0));
        for (String bad : new String[] {"..", ".", "a/b.webm", "recording.json", "x.tmp", ""}) {
            assertThatThrownBy(() -> c.pathFor("rec-1", bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> c.pathFor("rec-2", "a.webm")).isInstanceOf(IllegalStateException.class);
        assertThat(RecordingIds.generate()).matches("rec-[0-9a-f]{24}");
        assertThat(RecordingIds.isValid(RecordingIds.generate())).isTrue();
    }

    @Test
    void fileOfServesOnlyListedRegularFiles() throws Exception {
        FileRecordingCatalog c = open();
        c.create(recording("rec-1", "visit-1", T0));
        c.update(recorded(c.get("rec-1").orElseThrow()));
        Files.write(c.pathFor("rec-1", "dr-1.webm"), new byte[3]);
        Files.write(c.pathFor("rec-1", "other.webm"), new byte[3]);
        Path outside = Files.writeString(dir.resolve("outside.txt"), "secret");
        Files.createSymbolicLink(c.pathFor("rec-1", "pat-1.webm"), outside);
        assertThat(c.fileOf("rec-1", "dr-1.webm")).contains(c.pathFor("rec-1", "dr-1.webm"));
        assertThat(c.fileOf("rec-1", "pat-1.webm")).as("a symlink").isEmpty();
        assertThat(c.fileOf("rec-1", "other.webm")).as("not listed").isEmpty();
        assertThat(c.fileOf("rec-1", "recording.json")).isEmpty();
        assertThat(c.fileOf("rec-1", "../rec-1/dr-1.webm")).isEmpty();
        assertThat(c.fileOf("rec-1", "..")).isEmpty();
        assertThat(c.fileOf("rec-1", null)).isEmpty();
        assertThat(c.fileOf("rec-2", "dr-1.webm")).isEmpty();
    }

    @Test
    void deleteRemovesEverythingOnlyWhenStopped() throws Exception {
        FileRecordingCatalog c = open();
        c.create(recording("rec-1", "visit-1", T0));
        c.create(recording("rec-2", "visit-1", T0));
        c.update(recorded(c.get("rec-1").orElseThrow()));
        Files.write(c.pathFor("rec-1", "dr-1.webm"), new byte[3]);
        assertThat(c.delete("rec-1")).isEqualTo(DeleteResult.ACTIVE);
        assertThat(c.fileOf("rec-1", "dr-1.webm")).isPresent();
        RecordingMeta m = c.get("rec-1").orElseThrow();
        c.update(m.withState(State.STOPPED, m.startedAt(), T0.plusSeconds(9), "consent_withdrawn"));
        assertThat(c.delete("rec-1")).isEqualTo(DeleteResult.DELETED);
        assertThat(dir.resolve("visit-1/rec-1")).doesNotExist();
        assertThat(c.get("rec-1")).isEmpty();
        assertThat(c.update(m)).as("an update after the delete does not bring it back").isFalse();
        assertThat(dir.resolve("visit-1/rec-1")).doesNotExist();
        assertThat(c.delete("rec-1")).isEqualTo(DeleteResult.NOT_FOUND);
        assertThat(dir.resolve("visit-1")).as("another recording remains").isDirectory();
        c.update(c.get("rec-2").orElseThrow().withState(State.STOPPED, null, T0, "consent_refused"));
        assertThat(c.delete("rec-2")).isEqualTo(DeleteResult.DELETED);
        assertThat(dir.resolve("visit-1")).doesNotExist();
        assertThat(open().list("visit-1")).isEmpty();
    }

    @Test
    void anInterruptedDeleteIsFinishedOnOpen() throws Exception {
        Path doomed = Files.createDirectories(dir.resolve("visit-1/.deleting-rec-1"));
        Files.write(doomed.resolve("dr-1.webm"), new byte[3]);
        Files.writeString(doomed.resolve("recording.json"), "{}");
        FileRecordingCatalog c = open();
        assertThat(doomed).doesNotExist();
        assertThat(c.get("rec-1")).isEmpty();
    }

    @Test
    void concurrentCreatesUpdatesAndDeletesStayConsistent() throws Exception {
        FileRecordingCatalog c = open();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                String id = "rec-" + i;
                String appt = "visit-" + (i % 3);
                fs.add(pool.submit(() -> {
                    c.create(recording(id, appt, T0));
                    for (int k = 0; k < 5; k++) {
                        RecordingMeta m = recorded(c.get(id).orElseThrow());
                        assertThat(c.update(m)).isTrue();
                        c.list(appt);
                    }
                    RecordingMeta m = c.get(id).orElseThrow();
                    c.update(m.withState(State.STOPPED, m.startedAt(), T0.plusSeconds(30), "stopped"));
                    if (id.hashCode() % 2 == 0) {
                        assertThat(c.delete(id)).isEqualTo(DeleteResult.DELETED);
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        FileRecordingCatalog again = open();
        for (int i = 0; i < 40; i++) {
            String id = "rec-" + i;
            boolean kept = id.hashCode() % 2 != 0;
            assertThat(again.get(id).isPresent()).as(id).isEqualTo(kept);
            if (kept) {
                assertThat(again.get(id).orElseThrow().stopReason()).isEqualTo("stopped");
            }
        }
    }
}

package org.medibridge.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** FileAuditLog: the line format, the chain under concurrency, reopening, and what it refuses. */
class AuditFileLogTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-24T08:51:02.113Z"), ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void writesOneChainedJsonObjectPerLine() throws Exception {
        Path file = dir.resolve("nested/dirs/audit.jsonl");
        try (FileAuditLog log = new FileAuditLog(file, CLOCK, false)) {
            log.append("appointment_created", "visit-42", Map.of("by", "api"));
            log.append("join_accepted", "visit-42", orderedFields());
        }

        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).isEqualTo("{\"seq\":1,\"time\":\"2026-11-24T08:51:02.113Z\",\"event\":\"appointment_created\","
                + "\"appointmentId\":\"visit-42\",\"by\":\"api\",\"prev\":\"" + "0".repeat(64) + "\"}");
        JsonNode second = JSON.readTree(lines.get(1));
        assertThat(second.get("seq").asLong()).isEqualTo(2);
        assertThat(second.get("participantId").asText()).isEqualTo("pt-1");
        assertThat(second.get("name").asText()).isEqualTo("Zoë Ünal");
        assertThat(second.get("prev").asText()).isEqualTo(sha256(lines.get(0)));
        assertThat(fieldNames(second)).containsExactly(
                "seq", "time", "event", "appointmentId", "participantId", "role", "name", "prev");
        assertThat(AuditVerifier.verify(file).toString()).isEqualTo("OK: 2 lines");
    }

    @Test
    void manyThreadsAppendingKeepOneValidChain() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        int threads = 8;
        int perThread = 250;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try (FileAuditLog log = new FileAuditLog(file, Clock.systemUTC(), false)) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        log.append("muted", "visit-" + thread, Map.of("participantId", "p-" + i, "by", "dr-" + thread));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get();
            }
            assertThat(log.head().seq()).isEqualTo(threads * perThread);
        } finally {
            pool.shutdownNow();
        }

        AuditVerifier.Result result = AuditVerifier.verify(file);
        assertThat(result.ok()).as(result.toString()).isTrue();
        assertThat(result.lines()).isEqualTo(threads * perThread);
        Set<String> distinct = new HashSet<>(Files.readAllLines(file));
        assertThat(distinct).hasSize(threads * perThread);
    }

    @Test
    void reopeningContinuesTheChain() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        try (FileAuditLog log = FileAuditLog.open(file)) {
            for (int i = 0; i < 3; i++) {
                log.append("join_accepted", "visit-42", Map.of("participantId", "p-" + i));
            }
        }
        FileAuditLog.Head before;
        try (FileAuditLog log = FileAuditLog.open(file)) {
            before = log.head();
            log.append("ended", "visit-42", Map.of("by", "dr-1"));
            log.append("cancelled", "visit-43", Map.of());
        }

        List<String> lines = Files.readAllLines(file);
        assertThat(before.seq()).isEqualTo(3);
        assertThat(before.sha256()).isEqualTo(sha256(lines.get(2)));
        assertThat(JSON.readTree(lines.get(3)).get("seq").asLong()).isEqualTo(4);
        assertThat(JSON.readTree(lines.get(3)).get("prev").asText()).isEqualTo(sha256(lines.get(2)));
        assertThat(AuditVerifier.verify(file).toString()).isEqualTo("OK: 5 lines");
    }

    @Test
    void nullAppointmentAndNullFieldsAreAllowed() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        try (FileAuditLog log = FileAuditLog.open(file)) {
            log.append("api_unauthorized", null, null);
        }
        assertThat(JSON.readTree(Files.readAllLines(file).get(0)).get("appointmentId").isNull()).isTrue();
        assertThat(AuditVerifier.verify(file).ok()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"token", "joinToken", "TOKEN", "secret", "jwtSecret", "key", "apiKey", "password",
        "Authorization", "bearer", "cookie", "jwt", "signature", "seq", "prev", "time", "event", "appointmentId",
        "", "1abc", "has space", "quote\""})
    void refusesFieldsThatCouldCarrySecretsOrBreakTheFormat(String name) throws Exception {
        Path file = dir.resolve("audit.jsonl");
        try (FileAuditLog log = FileAuditLog.open(file)) {
            assertThatThrownBy(() -> log.append("join_rejected", "visit-42", Map.of(name, "x")))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> NoopAuditLog.INSTANCE.append("join_rejected", "visit-42", Map.of(name, "x")))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(Files.size(file)).isZero();
    }

    @Test
    void refusesAValueThatLooksLikeAJwt() throws Exception {
        String jwt = "eyJhbGciOiJIUzI1NiJ9.eyJyb29tIjoidmlzaXQtNDIifQ.c2lnbmF0dXJlLXNpZ25hdHVyZQ";
        try (FileAuditLog log = FileAuditLog.open(dir.resolve("audit.jsonl"))) {
            assertThatThrownBy(() -> log.append("join_rejected", "visit-42", Map.of("reason", "bad " + jwt)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageNotContaining(jwt);
            assertThatThrownBy(() -> log.append("join_rejected", jwt, Map.of()))
                    .isInstanceOf(IllegalArgumentException.class);
            log.append("join_rejected", "visit-42", Map.of("reason", "token_bad_signature"));
            assertThat(log.head().seq()).isEqualTo(1);
        }
    }

    @Test
    void aSecondWriterOnTheSameFileIsRefused() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        try (FileAuditLog log = FileAuditLog.open(file)) {
            assertThatThrownBy(() -> FileAuditLog.open(file)).isInstanceOf(IOException.class).hasMessageContaining("already open");
            log.append("locked", "visit-42", Map.of("by", "dr-1"));
        }
    }

    @Test
    void refusesToExtendAFileEndingInAPartialLine() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        try (FileAuditLog log = FileAuditLog.open(file)) {
            log.append("admitted", "visit-42", Map.of("participantId", "pt-1"));
        }
        Files.writeString(file, "{\"seq\":2,\"ti", java.nio.file.StandardOpenOption.APPEND);

        assertThatThrownBy(() -> FileAuditLog.open(file)).isInstanceOf(IOException.class).hasMessageContaining("incomplete");
    }

    @Test
    void refusesToExtendAFileWhoseLastLineIsNotAnAuditLine() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        Files.writeString(file, "hello\n");
        assertThatThrownBy(() -> FileAuditLog.open(file)).isInstanceOf(IOException.class).hasMessageContaining("audit-verify");
        Files.writeString(file, "{\"seq\":\"one\"}\n");
        assertThatThrownBy(() -> FileAuditLog.open(file)).isInstanceOf(IOException.class).hasMessageContaining("seq");
    }

    @Test
    void findsTheLastLineAcrossReadChunks() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        String longName = "n".repeat(10_000);
        try (FileAuditLog log = FileAuditLog.open(file)) {
            log.append("admitted", "visit-42", Map.of("name", longName));
            log.append("admitted", "visit-42", Map.of("name", longName));
        }
        try (FileAuditLog log = FileAuditLog.open(file)) {
            assertThat(log.head().seq()).isEqualTo(2);
            log.append("ended", "visit-42", Map.of());
        }
        assertThat(AuditVerifier.verify(file).toString()).isEqualTo("OK: 3 lines");
    }

    @Test
    void appendAfterCloseFails() throws Exception {
        FileAuditLog log = FileAuditLog.open(dir.resolve("audit.jsonl"));
        log.close();
        log.close();
        assertThatThrownBy(() -> log.append("ended", "visit-42", Map.of())).isInstanceOf(IllegalStateException.class);
    }

    private static Map<String, String> orderedFields() {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        m.put("participantId", "pt-1");
        m.put("role", "patient");
        m.put("name", "Zoë Ünal");
        return m;
    }

    static String sha256(String line) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(line.getBytes(StandardCharsets.UTF_8)));
    }

    /** Field names of a JSON object in file order. */
    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}

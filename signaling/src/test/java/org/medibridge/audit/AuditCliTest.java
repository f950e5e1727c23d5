package org.medibridge.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code medibridge audit-verify FILE}: output and exit status, in-process and through Main. */
class AuditCliTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void intactLogPrintsOkAndExitsZero() throws Exception {
        Path file = log(3);
        assertThat(run(file.toString())).isZero();
        assertThat(out()).isEqualTo("OK: 3 lines\n");
        assertThat(err()).isEmpty();
    }

    @Test
    void brokenLogPrintsTheLineAndExitsOne() throws Exception {
        Path file = log(3);
        List<String> lines = Files.readAllLines(file);
        Files.write(file, List.of(lines.get(0), lines.get(2)));
        assertThat(run(file.toString())).isEqualTo(1);
        assertThat(out()).isEqualTo("BROKEN at line 2: seq is 3, expected 2 (a line is missing, added or out of order)\n");
    }

    @Test
    void usageAndUnreadableFileExitTwo() {
        assertThat(run()).isEqualTo(2);
        assertThat(err()).contains("usage: medibridge audit-verify FILE");
        assertThat(run("a", "b")).isEqualTo(2);
        assertThat(run(dir.resolve("missing.jsonl").toString())).isEqualTo(2);
        assertThat(err()).contains("cannot read");
        assertThat(out()).isEmpty();
    }

    @Test
    void mainRunsTheSubcommand() throws Exception {
        Path file = log(2);
        Process ok = main("audit-verify", file.toString());
        assertThat(ok.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(new String(ok.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("OK: 2 lines\n");
        assertThat(ok.exitValue()).isZero();

        Files.writeString(file, "not json\n", java.nio.file.StandardOpenOption.APPEND);
        Process broken = main("audit-verify", file.toString());
        assertThat(broken.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(new String(broken.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                .startsWith("BROKEN at line 3: not valid JSON");
        assertThat(broken.exitValue()).isEqualTo(1);
    }

    private static Process main(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "org.medibridge.signaling.Main"));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    private Path log(int lines) throws Exception {
        Path file = dir.resolve("audit.jsonl");
        try (FileAuditLog log = FileAuditLog.open(file)) {
            for (int i = 0; i < lines; i++) {
                log.append("join_rejected", "visit-42", Map.of("reason", "token_expired"));
            }
        }
        return file;
    }

    private int run(String... args) {
        return AuditVerifier.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n");
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }
}

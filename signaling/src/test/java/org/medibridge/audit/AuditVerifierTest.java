package org.medibridge.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Tampering with a 10-line log, one row per kind of change: the verifier stops at the right line
 * with a reason. Lines are numbered from 1 in the comments and results, as the CLI prints them.
 */
class AuditVerifierTest {
    private static final int LINES = 10;

    @TempDir
    Path dir;

    static Stream<Arguments> tamperings() {
        return Stream.of(
                row("a byte of line 5's name edited", bytes -> editInLine(bytes, 5, "Patient-5", "Patient-X"),
                        5, "SHA-256 does not match the prev recorded on line 6"),
                row("line 5 edited into broken JSON", bytes -> editInLine(bytes, 5, "\"event\":", "\"event\" "),
                        5, "not valid JSON"),
                row("a byte of line 1 edited", bytes -> editInLine(bytes, 1, "visit-42", "visit-43"),
                        1, "does not match the prev recorded on line 2"),
                row("line 9 edited", bytes -> editInLine(bytes, 9, "admitted", "admitteD"), 9, "SHA-256"),
                row("line 5 deleted", lines(l -> remove(l, 5, 5)), 5, "seq is 6, expected 5"),
                row("lines 5 and 6 swapped", lines(l -> {
                    Collections.swap(l, 4, 5);
                    return l;
                }), 5, "seq is 6, expected 5"),
                row("lines 4 to 7 cut out", lines(l -> remove(l, 4, 7)), 4, "seq is 8, expected 4"),
                row("bytes cut from the middle of line 4 to the middle of line 7", AuditVerifierTest::cutMiddle,
                        4, "line 4 was replaced, or lines were spliced"),
                row("forged line appended with a wrong prev", lines(l -> {
                    l.add(l.get(9).replace("\"seq\":10", "\"seq\":11"));
                    return l;
                }), 10, "line 10 was changed, or line 11's prev was"),
                row("line 5 duplicated", lines(l -> {
                    l.add(5, l.get(4));
                    return l;
                }), 6, "seq is 5, expected 6"),
                row("last line truncated", bytes -> java.util.Arrays.copyOf(bytes, bytes.length - 7),
                        10, "incomplete line"),
                row("empty line inserted", lines(l -> {
                    l.add(3, "");
                    return l;
                }), 4, "empty line"),
                row("line 6's prev edited", lines(l -> {
                    String line = l.get(5);
                    int at = line.indexOf("\"prev\":\"") + 8;
                    l.set(5, line.substring(0, at) + (line.charAt(at) == '0' ? '1' : '0') + line.substring(at + 1));
                    return l;
                }),
                        6, "line 6 was replaced"),
                row("line 1's prev changed", bytes -> editInLine(bytes, 1, "\"prev\":\"0", "\"prev\":\"1"),
                        1, "64 zeros"),
                row("line 3 re-chained by hand with a new seq", lines(l -> {
                    l.set(2, l.get(2).replace("\"seq\":3", "\"seq\":33"));
                    return l;
                }), 3, "seq is 33, expected 3"),
                row("garbage after the JSON of line 2", bytes -> editInLine(bytes, 2, "\"}", "\"} x"), 2, "not valid JSON"),
                row("duplicate key shadowing seq", bytes -> editInLine(bytes, 2, "{\"seq\":2,", "{\"seq\":2,\"seq\":2,"),
                        2, "not valid JSON"),
                row("CRLF line ending on line 6", bytes -> editInLine(bytes, 6, "\"}", "\"}\r"), 6, "SHA-256"),
                row("not an object", lines(l -> {
                    l.set(0, "[1,2,3]");
                    return l;
                }), 1, "not a JSON object"),
                row("prev not hex", bytes -> editInLine(bytes, 3, "\"prev\":\"", "\"prev\":\"Z"), 3, "prev"),
                row("time not ISO", bytes -> editInLine(bytes, 3, "\"time\":\"2026-", "\"time\":\"yesterday-"), 3, "time"));
    }

    @ParameterizedTest(name = "{0} -> line {2}")
    @MethodSource("tamperings")
    void detectsTheFirstBrokenLine(String description, UnaryOperator<byte[]> tamper, int line, String reason)
            throws Exception {
        Path file = writeLog();
        Files.write(file, tamper.apply(Files.readAllBytes(file)));

        AuditVerifier.Result r = AuditVerifier.verify(file);

        assertThat(r.ok()).as(description).isFalse();
        assertThat(r.brokenLine()).as(description + ": " + r).isEqualTo(line);
        assertThat(r.reason()).as(description).contains(reason);
        assertThat(r.toString()).startsWith("BROKEN at line " + line + ": ");
    }

    @Test
    void intactLogVerifies() throws Exception {
        AuditVerifier.Result r = AuditVerifier.verify(writeLog());
        assertThat(r.ok()).isTrue();
        assertThat(r.lines()).isEqualTo(LINES);
        assertThat(r.toString()).isEqualTo("OK: 10 lines");
    }

    @Test
    void emptyLogVerifies() throws Exception {
        Path file = dir.resolve("empty.jsonl");
        Files.createFile(file);
        assertThat(AuditVerifier.verify(file).toString()).isEqualTo("OK: 0 lines");
    }

    @Test
    void overlongLineIsReportedWithoutReadingItAll() throws Exception {
        Path file = writeLog();
        Files.writeString(file, "x".repeat(200_000) + "\n", java.nio.file.StandardOpenOption.APPEND);
        AuditVerifier.Result r = AuditVerifier.verify(file);
        assertThat(r.brokenLine()).isEqualTo(11);
        assertThat(r.reason()).contains("longer than");
    }

    private Path writeLog() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        Files.deleteIfExists(file);
        Clock clock = Clock.fixed(Instant.parse("2026-11-24T08:50:00Z"), ZoneOffset.UTC);
        try (FileAuditLog log = new FileAuditLog(file, clock, false)) {
            for (int i = 1; i <= LINES; i++) {
                log.append("admitted", "visit-42", Map.of("participantId", "pt-" + i, "name", "Patient-" + i));
            }
        }
        return file;
    }

    private static Arguments row(String description, UnaryOperator<byte[]> tamper, int line, String reason) {
        return Arguments.of(description, tamper, line, reason);
    }

    /** Replaces the first occurrence of {@code from} in 1-based line {@code line}. */
    private static byte[] editInLine(byte[] bytes, int line, String from, String to) {
        List<String> l = split(bytes);
        String before = l.get(line - 1);
        if (!before.contains(from)) {
            throw new IllegalArgumentException("line " + line + " has no " + from + ": " + before);
        }
        l.set(line - 1, before.replaceFirst(java.util.regex.Pattern.quote(from), java.util.regex.Matcher.quoteReplacement(to)));
        return join(l);
    }

    private static UnaryOperator<byte[]> lines(UnaryOperator<List<String>> edit) {
        return bytes -> join(edit.apply(split(bytes)));
    }

    /** Removes 1-based lines {@code from}..{@code to}. */
    private static List<String> remove(List<String> l, int from, int to) {
        l.subList(from - 1, to).clear();
        return l;
    }

    private static byte[] cutMiddle(byte[] bytes) {
        List<String> l = split(bytes);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            sb.append(l.get(i)).append('\n');
        }
        sb.append(l.get(3), 0, l.get(3).length() / 2);
        sb.append(l.get(6).substring(l.get(6).length() / 2)).append('\n');
        for (int i = 7; i < l.size(); i++) {
            sb.append(l.get(i)).append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> split(byte[] bytes) {
        String s = new String(bytes, StandardCharsets.UTF_8);
        return new ArrayList<>(List.of(s.substring(0, s.length() - 1).split("\n", -1)));
    }

    private static byte[] join(List<String> lines) {
        return (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
    }
}

package org.medibridge.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * Checks an audit log written by {@link FileAuditLog}: every line a JSON object with the required
 * fields, {@code seq} = its line number, and {@code prev} = the SHA-256 of the line before. It
 * stops at the first broken line.
 *
 * <p>Which line is reported: a line that is not well-formed, or whose {@code seq} is out of place
 * (a line deleted, inserted or moved), is reported itself. When line K's {@code prev} does not match
 * line K-1, either line K-1 changed or line K did: if line K+1 still vouches for line K (its
 * {@code prev} is line K's hash), line K is original and line K-1 is reported; if it does not, line
 * K was replaced or spliced and is reported. With no readable line K+1, line K-1 is reported, the
 * usual case being an edited line. A change to the very last line cannot be seen from the file
 * alone (nothing follows it): compare with {@link FileAuditLog#head()} recorded elsewhere.
 */
public final class AuditVerifier {
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

    private AuditVerifier() {
    }

    /** The outcome: {@code lines} verified lines when ok, else the first broken line and why. */
    public record Result(boolean ok, long lines, long brokenLine, String reason) {
        static Result valid(long lines) {
            return new Result(true, lines, 0, null);
        }

        static Result broken(long line, String reason) {
            return new Result(false, line - 1, line, reason);
        }

        /** "OK: N lines" or "BROKEN at line K: reason", as the CLI prints it. */
        @Override
        public String toString() {
            return ok ? "OK: " + lines + " lines" : "BROKEN at line " + brokenLine + ": " + reason;
        }
    }

    public static Result verify(Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 64 * 1024)) {
            return verify(in);
        }
    }

    static Result verify(InputStream in) throws IOException {
        Lines lines = new Lines(in);
        String expectedPrev = AuditLines.GENESIS;
        long lineNo = 0;
        for (RawLine line = lines.next(); line != null; line = lines.next()) {
            lineNo++;
            String problem = line.tooLong() ? "longer than " + AuditLines.MAX_LINE_BYTES + " bytes"
                    : !line.terminated() ? "incomplete line (no newline at the end of the file; truncated?)"
                    : checkLine(line.bytes(), lineNo);
            if (problem != null) {
                return Result.broken(lineNo, problem);
            }
            String hash = AuditLines.sha256Hex(line.bytes(), 0, line.bytes().length);
            if (!prevOf(line).equals(expectedPrev)) {
                if (lineNo == 1) {
                    return Result.broken(1, "prev of the first line must be 64 zeros");
                }
                return brokenLink(lineNo, hash, lines.peek());
            }
            expectedPrev = hash;
        }
        return Result.valid(lineNo);
    }

    /**
     * Line {@code k}'s prev does not match line k-1. If line k+1 still vouches for line k, line k is
     * original and line k-1 changed; if it does not, line k itself was replaced (or spliced).
     */
    private static Result brokenLink(long k, String hashOfK, RawLine next) throws IOException {
        boolean nextReadable = next != null && next.terminated() && !next.tooLong()
                && checkLine(next.bytes(), ANY_SEQ) == null;
        if (nextReadable && !prevOf(next).equals(hashOfK)) {
            return Result.broken(k, "its prev does not match line " + (k - 1) + " and line " + (k + 1)
                    + "'s prev does not match it (line " + k + " was replaced, or lines were spliced)");
        }
        return Result.broken(k - 1, "its SHA-256 does not match the prev recorded on line " + k
                + " (line " + (k - 1) + " was changed, or line " + k + "'s prev was)");
    }

    private static String prevOf(RawLine line) throws IOException {
        return AuditLines.JSON.readTree(line.bytes()).get(AuditLines.PREV).asText();
    }

    /** One line's bytes without its '\n' (at most MAX_LINE_BYTES of them). */
    private record RawLine(byte[] bytes, boolean terminated, boolean tooLong) {
    }

    /** Splits a stream on '\n' with one line of look-ahead. */
    private static final class Lines {
        private final InputStream in;
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream(512);
        private RawLine peeked;
        private boolean eof;

        Lines(InputStream in) {
            this.in = in;
        }

        RawLine next() throws IOException {
            RawLine l = peek();
            peeked = null;
            return l;
        }

        RawLine peek() throws IOException {
            if (peeked == null && !eof) {
                peeked = read();
            }
            return peeked;
        }

        private RawLine read() throws IOException {
            buf.reset();
            boolean tooLong = false;
            int b;
            while ((b = in.read()) >= 0) {
                if (b == '\n') {
                    return new RawLine(buf.toByteArray(), true, tooLong);
                }
                if (buf.size() < AuditLines.MAX_LINE_BYTES) {
                    buf.write(b);
                } else {
                    tooLong = true;
                }
            }
            eof = true;
            return buf.size() == 0 && !tooLong ? null : new RawLine(buf.toByteArray(), false, tooLong);
        }
    }

    /** For {@link #checkLine}: any {@code seq} will do (a look-ahead line, checked on its own turn). */
    private static final long ANY_SEQ = -1;

    /** Null when the line is a well-formed audit line numbered {@code lineNo}, else what is wrong. */
    private static String checkLine(byte[] bytes, long lineNo) {
        if (bytes.length == 0) {
            return "empty line";
        }
        JsonNode node;
        try {
            node = AuditLines.JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            return "not valid JSON (" + e.getOriginalMessage() + ")";
        } catch (IOException e) {
            return "not readable JSON";
        }
        if (node == null || !node.isObject()) {
            return "not a JSON object";
        }
        JsonNode seq = node.get(AuditLines.SEQ);
        if (seq == null || !seq.isIntegralNumber()) {
            return "no integer 'seq'";
        }
        if (lineNo != ANY_SEQ && seq.asLong() != lineNo) {
            return "seq is " + seq.asText() + ", expected " + lineNo + " (a line is missing, added or out of order)";
        }
        JsonNode time = node.get(AuditLines.TIME);
        if (time == null || !time.isTextual()) {
            return "no 'time'";
        }
        try {
            Instant.parse(time.asText());
        } catch (DateTimeParseException e) {
            return "'time' is not an ISO-8601 UTC instant";
        }
        JsonNode event = node.get(AuditLines.EVENT);
        if (event == null || !event.isTextual() || event.asText().isBlank()) {
            return "no 'event'";
        }
        JsonNode appointment = node.get(AuditLines.APPOINTMENT_ID);
        if (appointment == null || !(appointment.isTextual() || appointment.isNull())) {
            return "no 'appointmentId'";
        }
        JsonNode prev = node.get(AuditLines.PREV);
        if (prev == null || !prev.isTextual() || !HEX64.matcher(prev.asText()).matches()) {
            return "no 'prev' of 64 lowercase hex digits";
        }
        return null;
    }

    /**
     * {@code audit-verify FILE}: prints the {@link Result} and returns the exit status, 0 when the
     * chain is intact, 1 when broken, 2 for a usage or I/O error.
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length != 1 || args[0].startsWith("-")) {
            err.println("usage: medibridge audit-verify FILE");
            return 2;
        }
        Path file = Path.of(args[0]);
        Result r;
        try {
            r = verify(file);
        } catch (IOException e) {
            err.println("medibridge audit-verify: cannot read " + file + ": " + e);
            return 2;
        }
        out.println(r);
        return r.ok() ? 0 : 1;
    }
}

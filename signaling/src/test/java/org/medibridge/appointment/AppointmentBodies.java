package org.medibridge.appointment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Request bodies for {@code POST /api/v1/appointments}: a valid one, and the table of bad ones
 * with the status and code each must get (shared by the parser test and the HTTP test).
 */
public final class AppointmentBodies {
    /** The validation clock of the tests: four days before {@link #valid()} starts. */
    public static final Instant NOW = Instant.parse("2026-11-20T08:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REMOVE = "<remove>";

    private AppointmentBodies() {
    }

    public static ObjectNode valid() {
        return (ObjectNode) json("""
                {"start": "2026-11-24T09:00:00Z", "end": "2026-11-24T09:30:00Z",
                 "doctor": {"id": "dr-1", "name": "Dr. Ada Meyer"},
                 "patients": [{"id": "pat-1", "name": "Jon Smith"}]}""");
    }

    public static JsonNode json(String s) {
        try {
            return JSON.readTree(s);
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The valid body with {@code path} (e.g. {@code doctor.name}, {@code patients.0.id}) set to JSON {@code value}. */
    public static String with(String path, String value) {
        ObjectNode root = valid();
        String[] parts = path.split("\\.");
        JsonNode parent = root;
        for (int i = 0; i < parts.length - 1; i++) {
            parent = parent.isArray() ? parent.get(Integer.parseInt(parts[i])) : parent.get(parts[i]);
        }
        String last = parts[parts.length - 1];
        if (parent instanceof ObjectNode o) {
            if (value.equals(REMOVE)) {
                o.remove(last);
            } else {
                o.set(last, json(value));
            }
        } else {
            ((ArrayNode) parent).set(Integer.parseInt(last), json(value));
        }
        return root.toString();
    }

    private static String without(String path) {
        return with(path, REMOVE);
    }

    private static String patients(int n) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : ",").append("{\"id\":\"p").append(i).append("\",\"name\":\"P ").append(i).append("\"}");
        }
        return b.append(']').toString();
    }

    /** (case, body, status, code): every one must be refused and must store nothing. */
    public static Stream<Arguments> bad() {
        String name65 = "\"" + "x".repeat(65) + "\"";
        return Stream.of(
                Arguments.of("array body", "[]", 400, "invalid_body"),
                Arguments.of("string body", "\"hello\"", 400, "invalid_body"),
                Arguments.of("empty object", "{}", 422, "missing_field"),
                Arguments.of("no start", without("start"), 422, "missing_field"),
                Arguments.of("null start", with("start", "null"), 422, "missing_field"),
                Arguments.of("no end", without("end"), 422, "missing_field"),
                Arguments.of("no doctor", without("doctor"), 422, "missing_field"),
                Arguments.of("no patients", without("patients"), 422, "missing_field"),
                Arguments.of("start a number", with("start", "1795510800"), 422, "invalid_field"),
                Arguments.of("start not a time", with("start", "\"tomorrow\""), 422, "invalid_time"),
                Arguments.of("start without offset", with("start", "\"2026-11-24T09:00:00\""), 422, "invalid_time"),
                Arguments.of("end a date only", with("end", "\"2026-11-24\""), 422, "invalid_time"),
                Arguments.of("start equals end", with("end", "\"2026-11-24T09:00:00Z\""), 422, "start_not_before_end"),
                Arguments.of("start after end", with("end", "\"2026-11-24T08:00:00Z\""), 422, "start_not_before_end"),
                Arguments.of("end before start by offset", with("end", "\"2026-11-24T09:30:00+01:00\""), 422,
                        "start_not_before_end"),
                Arguments.of("longer than 12 h", with("end", "\"2026-11-24T21:00:01Z\""), 422, "window_too_long"),
                Arguments.of("more than a year ahead", AppointmentBodiesWindow.farAhead(), 422, "start_too_far_ahead"),
                Arguments.of("closed already", AppointmentBodiesWindow.past(), 422, "window_in_past"),
                Arguments.of("earlyJoin negative", with("earlyJoinMinutes", "-1"), 422, "invalid_field"),
                Arguments.of("earlyJoin above 120", with("earlyJoinMinutes", "121"), 422, "invalid_field"),
                Arguments.of("earlyJoin fractional", with("earlyJoinMinutes", "10.5"), 422, "invalid_field"),
                Arguments.of("earlyJoin a string", with("earlyJoinMinutes", "\"10\""), 422, "invalid_field"),
                Arguments.of("earlyJoin huge", with("earlyJoinMinutes", "99999999999999999999"), 422, "invalid_field"),
                Arguments.of("grace above 120", with("graceMinutes", "999"), 422, "invalid_field"),
                Arguments.of("waitingRoom a string", with("waitingRoom", "\"yes\""), 422, "invalid_field"),
                Arguments.of("id empty", with("id", "\"\""), 422, "invalid_id"),
                Arguments.of("id with space", with("id", "\"a b\""), 422, "invalid_id"),
                Arguments.of("id with slash", with("id", "\"a/b\""), 422, "invalid_id"),
                Arguments.of("id dot-dot", with("id", "\"..\""), 422, "invalid_id"),
                Arguments.of("id 65 chars", with("id", "\"" + "a".repeat(65) + "\""), 422, "invalid_id"),
                Arguments.of("id non-ASCII", with("id", "\"tür\""), 422, "invalid_id"),
                Arguments.of("id a number", with("id", "5"), 422, "invalid_field"),
                Arguments.of("doctor a string", with("doctor", "\"Dr. X\""), 422, "invalid_field"),
                Arguments.of("doctor without name", without("doctor.name"), 422, "missing_field"),
                Arguments.of("doctor without id", without("doctor.id"), 422, "missing_field"),
                Arguments.of("doctor id bad", with("doctor.id", "\"dr 1\""), 422, "invalid_id"),
                Arguments.of("doctor name empty", with("doctor.name", "\"\""), 422, "invalid_name"),
                Arguments.of("doctor name blank", with("doctor.name", "\"   \""), 422, "invalid_name"),
                Arguments.of("doctor name 65 chars", with("doctor.name", name65), 422, "invalid_name"),
                Arguments.of("doctor name with BEL", with("doctor.name", "\"Dr\\u0007X\""), 422, "invalid_name"),
                Arguments.of("doctor name with newline", with("doctor.name", "\"Dr\\nX\""), 422, "invalid_name"),
                Arguments.of("doctor name with bidi override", with("doctor.name", "\"Dr\\u202eX\""), 422,
                        "invalid_name"),
                // Written as the escape itself: a raw lone surrogate would not survive UTF-8 on the wire.
                Arguments.of("doctor name lone surrogate", with("doctor.name", "\"Dr\\ud800X\"")
                        .replace("Dr\uD800X", "Dr\\ud800X"), 422, "invalid_name"),
                Arguments.of("doctor name a number", with("doctor.name", "42"), 422, "invalid_field"),
                Arguments.of("doctor with role", with("doctor.role", "\"patient\""), 422, "unknown_field"),
                Arguments.of("patients an object", with("patients", "{}"), 422, "invalid_field"),
                Arguments.of("patients empty", with("patients", "[]"), 422, "invalid_field"),
                Arguments.of("patient a string", with("patients.0", "\"Jon\""), 422, "invalid_field"),
                Arguments.of("patient name bad", with("patients.0.name", "\"\\u0000\""), 422, "invalid_name"),
                Arguments.of("patient id bad", with("patients.0.id", "\"p;1\""), 422, "invalid_id"),
                Arguments.of("nine patients", with("patients", patients(9)), 422, "too_many_participants"),
                Arguments.of("patient with the doctor's id", with("patients.0.id", "\"dr-1\""), 422,
                        "duplicate_participant"),
                Arguments.of("two patients one id", with("patients",
                        "[{\"id\":\"p\",\"name\":\"A\"},{\"id\":\"p\",\"name\":\"B\"}]"), 422, "duplicate_participant"),
                Arguments.of("unknown top-level field", with("earlyJoinMinute", "5"), 422, "unknown_field"));
    }

    /** Bodies whose window depends on {@link #NOW}. */
    private static final class AppointmentBodiesWindow {
        static String farAhead() {
            ObjectNode b = valid();
            b.put("start", "2027-11-21T09:00:00Z");
            b.put("end", "2027-11-21T09:30:00Z");
            return b.toString();
        }

        static String past() {
            ObjectNode b = valid();
            b.put("start", "2026-11-20T07:00:00Z");
            b.put("end", "2026-11-20T07:30:00Z");
            b.put("graceMinutes", 30); // closes exactly at NOW
            return b.toString();
        }
    }
}

package org.medibridge.appointment;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Set;

/**
 * Typed reads of one JSON object's fields, each failure a 422 with a code and a message naming
 * the field ({@code doctor.name}, {@code patients[1].id}). Unknown fields are refused, so a typo
 * such as {@code earlyJoinMinute} is an error rather than a silent default.
 */
final class JsonFields {
    static final int UNPROCESSABLE = 422;

    private final JsonNode object;
    private final String prefix;

    private JsonFields(JsonNode object, String prefix) {
        this.object = object;
        this.prefix = prefix;
    }

    /** Checks that {@code node} is an object with only {@code allowed} fields. */
    static JsonFields of(JsonNode node, String where, Set<String> allowed) {
        if (node == null || !node.isObject()) {
            throw invalid(where.isEmpty() ? "the body" : where, "must be a JSON object");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!allowed.contains(name)) {
                throw new AppointmentException(UNPROCESSABLE, "unknown_field",
                        "unknown field '" + (where.isEmpty() ? "" : where + ".") + printable(name)
                                + "'; allowed: " + String.join(", ", allowed.stream().sorted().toList()));
            }
        }
        return new JsonFields(node, where.isEmpty() ? "" : where + ".");
    }

    String path(String field) {
        return prefix + field;
    }

    /** The field, or null when absent or JSON null. */
    JsonNode optional(String field) {
        JsonNode n = object.get(field);
        return n == null || n.isNull() ? null : n;
    }

    JsonNode required(String field) {
        JsonNode n = optional(field);
        if (n == null) {
            throw new AppointmentException(UNPROCESSABLE, "missing_field", path(field) + " is required");
        }
        return n;
    }

    String requiredString(String field) {
        JsonNode n = required(field);
        if (!n.isTextual()) {
            throw invalid(path(field), "must be a string");
        }
        return n.textValue();
    }

    /** An ISO-8601 date-time with an offset or Z, e.g. 2026-11-24T09:00:00Z. */
    Instant requiredInstant(String field) {
        String s = requiredString(field);
        try {
            return OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw new AppointmentException(UNPROCESSABLE, "invalid_time", path(field)
                    + " must be an ISO-8601 date-time with an offset, e.g. 2026-11-24T09:00:00Z or "
                    + "2026-11-24T10:00:00+01:00");
        }
    }

    /** Whole minutes within [min, max], or {@code dflt} when absent. */
    int optionalMinutes(String field, int dflt, int min, int max) {
        JsonNode n = optional(field);
        if (n == null) {
            return dflt;
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt() || n.intValue() < min || n.intValue() > max) {
            throw invalid(path(field), "must be a whole number of minutes from " + min + " to " + max);
        }
        return n.intValue();
    }

    boolean optionalBoolean(String field, boolean dflt) {
        JsonNode n = optional(field);
        if (n == null) {
            return dflt;
        }
        if (!n.isBoolean()) {
            throw invalid(path(field), "must be true or false");
        }
        return n.booleanValue();
    }

    static AppointmentException invalid(String path, String what) {
        return new AppointmentException(UNPROCESSABLE, "invalid_field", path + " " + what);
    }

    /** A field name from the request, shortened and stripped of control characters for a message. */
    static String printable(String s) {
        String t = s.length() > 40 ? s.substring(0, 40) + "…" : s;
        return t.codePoints().filter(c -> !Character.isISOControl(c))
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }
}

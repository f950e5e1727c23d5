package org.medibridge.audit;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The audit line format shared by {@link FileAuditLog} and {@link AuditVerifier}. A line is one
 * JSON object in UTF-8 followed by {@code '\n'}:
 * <pre>
 * {"seq":1,"time":"2026-11-24T08:51:02.113Z","event":"join_accepted","appointmentId":"visit-42",
 *  "participantId":"p-1","role":"patient","prev":"0000...0000"}
 * </pre>
 * {@code seq} counts from 1; {@code prev} is the lowercase hex SHA-256 of the previous line's bytes
 * (without its {@code '\n'}), 64 zeros on the first line. Extra fields sit between
 * {@code appointmentId} and {@code prev}.
 */
final class AuditLines {
    static final String SEQ = "seq";
    static final String TIME = "time";
    static final String EVENT = "event";
    static final String APPOINTMENT_ID = "appointmentId";
    static final String PREV = "prev";
    static final Set<String> RESERVED = Set.of(SEQ, TIME, EVENT, APPOINTMENT_ID, PREV);

    static final String GENESIS = "0".repeat(64);
    /** Longer lines are refused by the verifier (and never written: fields are ids and names). */
    static final int MAX_LINE_BYTES = 64 * 1024;

    /** Strict: one JSON value per line, no duplicate keys (so an edit cannot shadow a field). */
    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    /** Name fragments of fields that could carry credentials; such fields are refused outright. */
    private static final String[] SECRET_NAME_PARTS = {
        "token", "secret", "key", "password", "passwd", "credential", "authorization", "bearer",
        "cookie", "jwt", "signature",
    };
    private static final Pattern FIELD_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,63}");
    /** A JWS compact serialization: base64url JSON header, payload, signature. */
    private static final Pattern JWT_LIKE = Pattern.compile(".*eyJ[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*.*",
            Pattern.DOTALL);

    private AuditLines() {
    }

    /** Throws IllegalArgumentException for a field name that is malformed, reserved or secret-like. */
    static void checkFieldName(String name) {
        if (name == null || !FIELD_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("audit field names are 1-64 of [A-Za-z0-9_], starting with a letter");
        }
        if (RESERVED.contains(name)) {
            throw new IllegalArgumentException("audit field '" + name + "' is reserved");
        }
        String lower = name.toLowerCase(Locale.ROOT);
        for (String part : SECRET_NAME_PARTS) {
            if (lower.contains(part)) {
                throw new IllegalArgumentException("audit field '" + name + "' could carry a secret; "
                        + "the audit log holds ids, roles, names and reasons only");
            }
        }
    }

    /** Throws IllegalArgumentException when a value looks like a JWT (a token passed by mistake). */
    static void checkValue(String field, String value) {
        if (value != null && value.length() > 20 && JWT_LIKE.matcher(value).matches()) {
            throw new IllegalArgumentException("audit field '" + field + "' looks like a token; refused");
        }
    }

    static String sha256Hex(byte[] bytes, int off, int len) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(bytes, off, len);
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}

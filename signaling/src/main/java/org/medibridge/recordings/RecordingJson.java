package org.medibridge.recordings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link RecordingMeta} as JSON: the shape of {@code recording.json} and of the API's recording
 * metadata. Times are ISO-8601 UTC strings, absent values {@code null}.
 */
public final class RecordingJson {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private RecordingJson() {
    }

    public static ObjectNode toJson(RecordingMeta m) {
        ObjectNode n = F.objectNode();
        n.put("recordingId", m.recordingId());
        n.put("appointmentId", m.appointmentId());
        n.put("requestedBy", m.requestedBy());
        time(n, "requestedAt", m.requestedAt());
        n.put("state", m.state().json());
        time(n, "startedAt", m.startedAt());
        time(n, "stoppedAt", m.stoppedAt());
        n.put("stopReason", m.stopReason());
        n.put("encrypted", m.encrypted());
        ArrayNode ps = n.putArray("participants");
        for (RecordingMeta.Participant p : m.participants()) {
            ObjectNode o = ps.addObject();
            o.put("participantId", p.participantId());
            o.put("name", p.name());
            o.put("role", p.role());
            time(o, "consentedAt", p.consentedAt());
            o.put("file", p.file());
            o.put("bytes", p.bytes());
        }
        ArrayNode cs = n.putArray("consents");
        for (RecordingMeta.Consent c : m.consents()) {
            ObjectNode o = cs.addObject();
            o.put("participantId", c.participantId());
            o.put("consent", c.consent());
            time(o, "at", c.at());
        }
        return n;
    }

    /** Reads what {@link #toJson} wrote; unknown fields are ignored. Throws IllegalArgumentException if malformed. */
    public static RecordingMeta fromJson(JsonNode n) {
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("recording metadata must be a JSON object");
        }
        try {
            List<RecordingMeta.Participant> ps = new ArrayList<>();
            for (JsonNode o : n.path("participants")) {
                ps.add(new RecordingMeta.Participant(text(o, "participantId"), text(o, "name"), text(o, "role"),
                        instant(o, "consentedAt"), text(o, "file"), o.path("bytes").asLong(0)));
            }
            List<RecordingMeta.Consent> cs = new ArrayList<>();
            for (JsonNode o : n.path("consents")) {
                cs.add(new RecordingMeta.Consent(text(o, "participantId"), o.path("consent").asBoolean(false),
                        instant(o, "at")));
            }
            String state = text(n, "state");
            if (state == null) {
                throw new IllegalArgumentException("state missing");
            }
            return new RecordingMeta(text(n, "recordingId"), text(n, "appointmentId"), text(n, "requestedBy"),
                    instant(n, "requestedAt"), RecordingMeta.State.fromJson(state), instant(n, "startedAt"),
                    instant(n, "stoppedAt"), text(n, "stopReason"), n.path("encrypted").asBoolean(false), ps, cs);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("malformed recording metadata: " + e.getMessage(), e);
        }
    }

    private static void time(ObjectNode n, String field, Instant t) {
        if (t == null) {
            n.putNull(field);
        } else {
            n.put(field, t.toString());
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Instant instant(JsonNode n, String field) {
        String s = text(n, field);
        return s == null ? null : Instant.parse(s);
    }
}

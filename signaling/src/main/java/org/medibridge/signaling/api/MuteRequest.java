package org.medibridge.signaling.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;

/**
 * The body of {@code POST …/participants/{pid}/mute}: {@code {audio?: bool, video?: bool}}, at
 * least one. {@code true} mutes (the SFU stops forwarding), {@code false} lifts the mute.
 */
record MuteRequest(Boolean audio, Boolean video) {

    static MuteRequest parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new ApiException(400, "invalid_body", "the body must be a JSON object such as {\"audio\": true}");
        }
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!f.equals("audio") && !f.equals("video")) {
                throw new ApiException(422, "unknown_field", "unknown field in mute request; allowed: audio, video");
            }
        }
        Boolean audio = flag(body, "audio");
        Boolean video = flag(body, "video");
        if (audio == null && video == null) {
            throw new ApiException(422, "missing_field", "give audio, video or both (true mutes, false unmutes)");
        }
        return new MuteRequest(audio, video);
    }

    private static Boolean flag(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isBoolean()) {
            throw new ApiException(422, "invalid_field", field + " must be true or false");
        }
        return n.booleanValue();
    }
}

package org.medibridge.signaling;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Builders for the server's messages of docs/protocol.md, one method per message type. */
public final class Messages {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private Messages() {
    }

    public static ObjectNode of(String type) {
        ObjectNode n = F.objectNode();
        n.put("type", type);
        return n;
    }

    public static ObjectNode error(String code, String message, String requestType) {
        ObjectNode n = of("error");
        n.put("code", code);
        n.put("message", message);
        if (requestType != null) {
            n.put("requestType", requestType);
        }
        return n;
    }

    public static ObjectNode sdp(String type, String pc, String sdp) {
        ObjectNode n = of(type);
        n.put("pc", pc);
        n.put("sdp", sdp);
        return n;
    }

    public static ObjectNode participantLeft(String participantId, String reason) {
        ObjectNode n = of("participant-left");
        n.put("participantId", participantId);
        n.put("reason", reason);
        return n;
    }

    public static ObjectNode participantUpdated(String participantId, boolean audio, boolean video) {
        ObjectNode n = of("participant-updated");
        n.put("participantId", participantId);
        n.put("audio", audio);
        n.put("video", video);
        return n;
    }

    public static ObjectNode track(String type, String participantId, String trackId, String kind) {
        ObjectNode n = of(type);
        n.put("participantId", participantId);
        n.put("trackId", trackId);
        n.put("kind", kind);
        return n;
    }

    public static ObjectNode closed(String reason, String message) {
        ObjectNode n = of("closed");
        n.put("reason", reason);
        n.put("message", message);
        return n;
    }

    public static ArrayNode array() {
        return F.arrayNode();
    }

    public static ObjectNode object() {
        return F.objectNode();
    }
}

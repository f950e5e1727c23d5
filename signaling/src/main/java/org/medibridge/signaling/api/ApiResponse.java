package org.medibridge.signaling.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * An API response: status, a JSON body (null for 204) and extra headers (e.g. Allow,
 * WWW-Authenticate).
 */
public record ApiResponse(int status, JsonNode body, Map<String, String> headers) {

    public ApiResponse {
        headers = Map.copyOf(headers);
    }

    static ApiResponse json(int status, JsonNode body) {
        return new ApiResponse(status, body, Map.of());
    }

    static ApiResponse noContent() {
        return new ApiResponse(204, null, Map.of());
    }

    /** The error body of every failure: {@code {"status": 422, "code": "...", "message": "..."}}. */
    static ApiResponse error(int status, String code, String message, Map<String, String> headers) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("status", status);
        n.put("code", code);
        n.put("message", message);
        return new ApiResponse(status, n, headers);
    }
}

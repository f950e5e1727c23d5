package org.medibridge.signaling.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Map;

/**
 * An API response: status, a JSON body (null for 204, or when {@code file} is the body), extra
 * headers (e.g. Allow, WWW-Authenticate) and, for downloads, a file streamed from disk.
 */
public record ApiResponse(int status, JsonNode body, Map<String, String> headers, FileBody file) {

    /**
     * A file sent as the body, streamed (never read into memory). {@link ApiHandler} opens it when
     * writing; Content-Length is the size of the opened file.
     */
    public record FileBody(Path path, String contentType) {}

    public ApiResponse {
        headers = Map.copyOf(headers);
    }

    public ApiResponse(int status, JsonNode body, Map<String, String> headers) {
        this(status, body, headers, null);
    }

    static ApiResponse json(int status, JsonNode body) {
        return new ApiResponse(status, body, Map.of());
    }

    static ApiResponse noContent() {
        return new ApiResponse(204, null, Map.of());
    }

    /** 200 with {@code path} as the body. */
    static ApiResponse file(Path path, String contentType, Map<String, String> headers) {
        return new ApiResponse(200, null, headers, new FileBody(path, contentType));
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
